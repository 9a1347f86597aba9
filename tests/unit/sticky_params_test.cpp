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

}  // namespace
}  // namespace actionhost
