#include "protocol/response_writer.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "util/json.hpp"

namespace actionhost {
namespace {

TEST(ResponseWriter, WritesEachKindOfFieldInOrder) {
  ResponseWriter writer;
  writer.string("text", "a \"quoted\"\nline\t\x01");
  writer.integer("integer", -42);
  writer.number("number", 0.5);
  writer.number("whole", 3);
  writer.boolean("flag", false);
  writer.json("object", R"({"a":[1,2,{"b":null}]})");
  ASSERT_FALSE(writer.problem());
  std::string text = std::move(writer).finish();
  EXPECT_EQ(text, R"({"text":"a \"quoted\"\nline\t\u0001","integer":-42,"number":0.5,"whole":3.0,"flag":false,)"
                  R"("object":{"a":[1,2,{"b":null}]}})");
  Json parsed = Json::parse(text);
  EXPECT_EQ(parsed["text"], "a \"quoted\"\nline\t\x01");
}

TEST(ResponseWriter, SkipsTheServersFieldsAndEmptyKeys) {
  ResponseWriter writer;
  writer.string("context", "mine");
  writer.integer("messageCount", 1);
  writer.string("messageId", "x");
  writer.string("", "nameless");
  writer.boolean("kept", true);
  EXPECT_EQ(std::move(writer).finish(), R"({"kept":true})");
}

TEST(ResponseWriter, AnInvalidJsonValueIsAProblemNotASplice) {
  ResponseWriter writer;
  writer.json("bad", "{\"a\":");
  writer.json("multi", "{\n}");
  ASSERT_TRUE(writer.problem());
  EXPECT_EQ(*writer.problem(), "the value written for bad is not valid JSON");
  EXPECT_EQ(std::move(writer).finish(), "{}");
}

TEST(ResponseWriter, NonFiniteNumbersAreNullAndInvalidUtf8IsReplaced) {
  ResponseWriter writer;
  writer.number("inf", std::numeric_limits<double>::infinity());
  writer.string("bytes", "\xff"
                         "ok");
  std::string text = std::move(writer).finish();
  Json parsed = Json::parse(text);
  EXPECT_TRUE(parsed["inf"].is_null());
  EXPECT_EQ(parsed["bytes"], "\xEF\xBF\xBDok");
}

}  // namespace
}  // namespace actionhost
