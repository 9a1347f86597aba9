#include "protocol/json_check.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "protocol/answers.hpp"

namespace actionhost {
namespace {

bool spliceable(std::string_view text) {
  return check_object(text, {"context", "messageCount", "messageId"}) == ObjectCheck::spliceable;
}

TEST(JsonCheck, ValidOneLineObjectsAreSpliceable) {
  for (std::string_view text :
       {R"({})", R"( { } )", R"({"randomNumber":0.5})", R"({"a":[1,-2.5e+3,0,true,false,null]})",
        R"({"nested":{"deep":[{"x":"y"}],"e":[]}})", R"({"s":"tab\tquote\"slash\/ \u00e9 \ud83d\ude00"})",
        "{\"utf8\":\"h\xc3\xa9llo\"}", "{\t\"a\" :\t1 }", R"({"contextual":1,"Context":2})"}) {
    EXPECT_TRUE(spliceable(text)) << text;
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;  // the parse agrees it is JSON
  }
}

TEST(JsonCheck, InvalidTextIsLeftToTheParse) {
  for (std::string_view text : {"",
                                "[]",
                                "1",
                                R"("s")",
                                "{",
                                "}",
                                R"({"a"})",
                                R"({"a":})",
                                R"({"a":1,})",
                                R"({"a":1}{})",
                                R"({a:1})",
                                R"({"a":01})",
                                R"({"a":1.})",
                                R"({"a":.5})",
                                R"({"a":1e})",
                                R"({"a":+1})",
                                R"({"a":tru})",
                                R"({"a":"\x"})",
                                R"({"a":"\u12"})",
                                R"({"a":"\udc00"})",
                                R"({"a":"\ud800"})",
                                R"({"a":"\ud800\u0041"})",
                                "{\"a\":\"raw\x01control\"}",
                                "{\"a\":\"\xff\"}",
                                "{\"a\":\"\xc3\"}",
                                R"({"a":[1,2)",
                                R"({"a":"open)"}) {
    EXPECT_FALSE(spliceable(text)) << text;
  }
}

TEST(JsonCheck, LineEndsAnywhereAreLeftToTheParse) {
  EXPECT_FALSE(spliceable("{\n\"a\":1}"));
  EXPECT_FALSE(spliceable("{\"a\":1}\r\n"));
  EXPECT_FALSE(spliceable("{\"a\":1\r}"));
}

TEST(JsonCheck, ReservedTopLevelKeysAreLeftToTheParse) {
  EXPECT_FALSE(spliceable(R"({"a":1,"context":"mine"})"));
  EXPECT_FALSE(spliceable(R"({"messageCount":9})"));
  EXPECT_FALSE(spliceable(R"({"messageId":"x"})"));
  EXPECT_FALSE(spliceable(R"({"con\u0074ext":1})"));  // escapes in a top-level key: decoded by the parse
  EXPECT_TRUE(spliceable(R"({"inner":{"context":1,"messageId":2}})"));  // only the top level matters
}

TEST(JsonCheck, DepthPast64IsLeftToTheParse) {
  std::string ok = "{\"a\":" + std::string(63, '[') + std::string(63, ']') + "}";
  std::string deep = "{\"a\":" + std::string(64, '[') + std::string(64, ']') + "}";
  EXPECT_TRUE(spliceable(ok));
  EXPECT_FALSE(spliceable(deep));
}

TEST(JsonCheck, SplicedAnswersCarryTheTagAfterTheFields) {
  EXPECT_EQ(answers::action_response(R"({"randomNumber":0.5})", {7, std::nullopt}),
            "{\"randomNumber\":0.5,\"context\":\"response\",\"messageCount\":7}\r\n");
  EXPECT_EQ(answers::action_response(" { } ", {1, Json("id-1")}),
            "{\"context\":\"response\",\"messageCount\":1,\"messageId\":\"id-1\"}\r\n");
  EXPECT_EQ(answers::action_response("{\"a\":1 }\t", {2, Json(42)}),
            "{\"a\":1,\"context\":\"response\",\"messageCount\":2,\"messageId\":42}\r\n");
}

// Found by fuzz_json_check: 1e400 is valid JSON text but overflows a double, and nlohmann
// refuses it; a spliced answer must be one nlohmann reads, so it is left to the parse.
TEST(JsonCheck, ANumberTooLargeForADoubleIsLeftToTheParse) {
  const std::initializer_list<std::string_view> reserved = {"context"};
  EXPECT_EQ(check_object(R"({"big":1e400})", reserved), ObjectCheck::parse_it);
  EXPECT_EQ(check_object(R"({"big":-1E+309})", reserved), ObjectCheck::parse_it);
  EXPECT_EQ(check_object("{\"big\":" + std::string(309, '9') + "}", reserved), ObjectCheck::parse_it);
  EXPECT_EQ(check_object(R"({"big":1e308,"tiny":1e-400,"neg":-0.0})", reserved), ObjectCheck::spliceable);
  EXPECT_EQ(check_object("{\"n\":" + std::string(308, '9') + "}", reserved), ObjectCheck::spliceable);
}

}  // namespace
}  // namespace actionhost
