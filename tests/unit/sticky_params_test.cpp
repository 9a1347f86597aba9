#include "connections/sticky_params.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(StickyParams, TextFollowsEveryChangeInInsertionOrder) {
  StickyParams params;
  EXPECT_EQ(params.text(), "{}");
  params.set("messageId", "m1");
  params.set("action", "randomNumber");
  EXPECT_EQ(params.text(), R"({"messageId":"m1","action":"randomNumber"})");
  params.set("messageId", "m2");
  EXPECT_EQ(params.text(), R"({"messageId":"m2","action":"randomNumber"})");
  params.erase("messageId");
  EXPECT_EQ(params.text(), R"({"action":"randomNumber"})");
  params.erase("absent");
  EXPECT_EQ(params.text(), R"({"action":"randomNumber"})");
  params.clear();
  EXPECT_EQ(params.text(), "{}");
  EXPECT_TRUE(params.json().empty());
}

TEST(StickyParams, SettingTheSameValueKeepsTheText) {
  StickyParams params;
  params.set("action", "status");
  const std::string* text = &params.text();
  const std::string before = *text;
  params.set("action", "status");
  EXPECT_EQ(&params.text(), text);
  EXPECT_EQ(params.text(), before);
}

TEST(StickyParams, InvalidUtf8IsReplacedNotThrown) {
  StickyParams params;
  params.set("k", "a\xff");
  EXPECT_EQ(params.text(), "{\"k\":\"a\xef\xbf\xbd\"}");
}

TEST(StickyParams, CountsKeysAndValuesBytes) {
  StickyParams params;
  params.set("ab", "xyz");
  params.set("c", "");
  EXPECT_EQ(params.size(), 2u);
  EXPECT_EQ(params.bytes(), 6u);
  EXPECT_EQ(params.bytes_after_set("ab", "x"), 4u);
  EXPECT_EQ(params.size_after_set("ab"), 2u);
  EXPECT_EQ(params.size_after_set("new"), 3u);
  params.set("ab", "x");
  EXPECT_EQ(params.bytes(), 4u);
  params.erase("ab");
  EXPECT_EQ(params.bytes(), 1u);
  params.clear();
  EXPECT_EQ(params.bytes(), 0u);
}

}  // namespace
}  // namespace actionhost
