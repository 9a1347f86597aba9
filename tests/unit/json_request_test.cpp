#include "protocol/json_request.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(JsonRequest, ReadsActionAndParams) {
  auto request = parse_json_request(R"({"action":"cacheTest","params":{"key":"k","apiVersion":2}})");
  ASSERT_TRUE(request) << request.problem().message;
  EXPECT_EQ(request->action, "cacheTest");
  EXPECT_EQ(request->params, (Json{{"key", "k"}, {"apiVersion", 2}}));
}

TEST(JsonRequest, ParamsAreOptional) {
  auto request = parse_json_request(R"({"action":"status"})");
  ASSERT_TRUE(request);
  EXPECT_TRUE(request->params.is_object());
  EXPECT_TRUE(request->params.empty());
}

TEST(JsonRequest, RefusesBadJsonWithTheParserMessage) {
  auto request = parse_json_request("{\"action\":");
  ASSERT_FALSE(request);
  EXPECT_EQ(request.problem().message.rfind("invalid JSON request: ", 0), 0u) << request.problem().message;
  EXPECT_EQ(request.problem().message.find("[json.exception"), std::string::npos) << request.problem().message;
}

TEST(JsonRequest, RefusesTheWrongShape) {
  for (const char* line : {R"({"params":{}})", R"({"action":3})", R"({"action":"a","params":[1]})"}) {
    auto request = parse_json_request(line);
    ASSERT_FALSE(request) << line;
    EXPECT_EQ(request.problem().message.rfind("invalid JSON request: ", 0), 0u);
  }
}

TEST(JsonRequest, RefusesDeepNestingBeforeParsing) {
  std::string deep = R"({"action":"a","params":{"x":)" + std::string(10000, '[') + std::string(10000, ']') +
                     "}}";
  auto request = parse_json_request(deep);
  ASSERT_FALSE(request);
  EXPECT_NE(request.problem().message.find("nesting deeper than"), std::string::npos);
}

TEST(JsonRequest, BracketsInsideStringsDoNotCountAsNesting) {
  std::string line = R"({"action":"a","params":{"x":")" + std::string(200, '[') + R"("}})";
  EXPECT_TRUE(parse_json_request(line).ok());
}

// Found by fuzz_json_request: nlohmann throws out_of_range (not parse_error) for a number
// too large for a double; it escaped the reader and would have ended the server.
TEST(JsonRequest, ANumberTooLargeIsRefusedNotThrown) {
  auto request = parse_json_request(R"({"action":"x","params":{"n":64444444444454e000007039476590218360157}})");
  ASSERT_FALSE(request);
  EXPECT_EQ(request.problem().message,
            "invalid JSON request: number overflow parsing '64444444444454e000007039476590218360157'");
}

}  // namespace
}  // namespace actionhost
