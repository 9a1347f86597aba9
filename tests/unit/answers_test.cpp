#include "protocol/answers.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(Answers, WelcomeWithAndWithoutARoom) {
  EXPECT_EQ(answers::welcome("Hello!", "defaultRoom"),
            "{\"welcome\":\"Hello!\",\"room\":\"defaultRoom\",\"context\":\"api\"}\r\n");
  EXPECT_EQ(answers::welcome("Hello!", ""), "{\"welcome\":\"Hello!\",\"context\":\"api\"}\r\n");
}

TEST(Answers, GoodbyeAndTooManyConnections) {
  EXPECT_EQ(answers::goodbye(), "{\"status\":\"Bye!\",\"context\":\"api\"}\r\n");
  EXPECT_EQ(answers::too_many_connections(), "{\"error\":\"too many connections\",\"context\":\"api\"}\r\n");
}

TEST(Answers, VerbAnswersKeepTheSpecOrder) {
  EXPECT_EQ(answers::verb_ok(nullptr, {4, std::nullopt}),
            "{\"status\":\"OK\",\"context\":\"response\",\"data\":null,\"messageCount\":4}\r\n");
  EXPECT_EQ(answers::verb_error("room does not exist", {5, Json("m1")}),
            "{\"status\":\"room does not exist\",\"error\":\"room does not exist\","
            "\"context\":\"response\",\"data\":null,\"messageCount\":5,\"messageId\":\"m1\"}\r\n");
}

TEST(Answers, ActionErrorsCarryThePrefixAndRefusalsDoNot) {
  EXPECT_EQ(answers::action_error("unknown action or invalid apiVersion", {2, std::nullopt}),
            "{\"error\":\"Error: unknown action or invalid apiVersion\",\"context\":\"response\","
            "\"messageCount\":2}\r\n");
  EXPECT_EQ(answers::refused("invalid JSON request: x", {3, std::nullopt}),
            "{\"error\":\"invalid JSON request: x\",\"context\":\"response\",\"messageCount\":3}\r\n");
}

TEST(Answers, SayMessage) {
  EXPECT_EQ(answers::say("defaultRoom", "hello?", Json("abc"), 17),
            "{\"message\":\"hello?\",\"room\":\"defaultRoom\",\"from\":\"abc\",\"context\":\"user\","
            "\"sentAt\":17}\r\n");
}

TEST(Answers, InvalidUtf8IsReplacedNotThrown) {
  std::string out;
  EXPECT_NO_THROW(out = answers::refused("bad \xff byte", {1, std::nullopt}));
  EXPECT_NE(out.find("bad \xef\xbf\xbd byte"), std::string::npos);
}

}  // namespace
}  // namespace actionhost
