#include "cluster/cluster_messages.hpp"

#include <gtest/gtest.h>

namespace actionhost::cluster {
namespace {

const Sender kMe{"server-1", "secret"};

TEST(ClusterMessages, ChatHasActionheroTwentysShapeAndOrder) {
  EXPECT_EQ(chat_message(kMe, "defaultRoom", "hello", "conn-1", 1700000000000),
            R"({"messageType":"chat","serverToken":"secret","serverId":"server-1","message":"hello",)"
            R"("sentAt":1700000000000,"connection":{"id":"conn-1","room":"defaultRoom"}})");
}

TEST(ClusterMessages, DoAndDoResponse) {
  EXPECT_EQ(do_message(kMe, "m-1", "api.chatRoom.addMember", "conn-1", "room"),
            R"({"messageType":"do","serverId":"server-1","serverToken":"secret","messageId":"m-1",)"
            R"("method":"api.chatRoom.addMember","connectionId":"conn-1","args":["conn-1","room"]})");
  EXPECT_EQ(do_response(kMe, "m-1", nullptr),
            R"({"messageType":"doResponse","serverId":"server-1","serverToken":"secret","messageId":"m-1",)"
            R"("response":true})");
  const std::string error = "room does not exist";
  EXPECT_EQ(do_response(kMe, "m-1", &error),
            R"({"messageType":"doResponse","serverId":"server-1","serverToken":"secret","messageId":"m-1",)"
            R"("error":"room does not exist"})");
}

TEST(ClusterMessages, WhatIsBuiltReadsBack) {
  auto chat = read_message(chat_message(kMe, "r", "hi there", "c", 5), "secret");
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->type, Incoming::Type::chat);
  EXPECT_EQ(chat->server_id, "server-1");
  EXPECT_EQ(chat->room, "r");
  EXPECT_EQ(chat->message, "hi there");
  EXPECT_EQ(chat->from, "c");
  EXPECT_EQ(chat->sent_at, 5);

  auto call = read_message(do_message(kMe, "m", "api.chatRoom.removeMember", "c", "r"), "secret");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->type, Incoming::Type::call);
  EXPECT_EQ(call->method, "api.chatRoom.removeMember");
  EXPECT_EQ(call->connection_id, "c");
  EXPECT_EQ(call->room, "r");

  const std::string error = "no";
  auto response = read_message(do_response(kMe, "m", &error), "secret");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->type, Incoming::Type::response);
  EXPECT_EQ(response->message_id, "m");
  EXPECT_EQ(response->error, "no");
}

TEST(ClusterMessages, AnotherTokenOrNoTokenIsIgnored) {
  EXPECT_FALSE(read_message(chat_message(kMe, "r", "hi", "c", 5), "other"));
  EXPECT_FALSE(
      read_message(R"({"messageType":"chat","message":"hi","connection":{"id":"c","room":"r"}})", "secret"));
  EXPECT_FALSE(read_message("not json", "secret"));
  EXPECT_FALSE(read_message("[1,2]", "secret"));
}

TEST(ClusterMessages, ActionherosOwnMessagesAreReadOrLeftAlone) {
  // A server message (connection id 0) and a non-string message, as actionhero may send.
  auto chat = read_message(R"({"messageType":"chat","serverToken":"secret","serverId":"ah","message":{"a":1},)"
                           R"("sentAt":7,"connection":{"id":0,"room":"r"}})",
                           "secret");
  ASSERT_TRUE(chat);
  EXPECT_EQ(chat->type, Incoming::Type::chat);
  EXPECT_EQ(chat->from, 0);
  EXPECT_EQ(chat->message, R"({"a":1})");
  // api.log at start: a "do" without connectionId; a chat without a connection is not chat.
  auto log = read_message(R"({"messageType":"do","serverId":"ah","serverToken":"secret","messageId":"x",)"
                          R"("method":"api.log","args":["joined"]})",
                          "secret");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->method, "api.log");
  EXPECT_EQ(log->connection_id, "");
  auto broken = read_message(R"({"messageType":"chat","serverToken":"secret","message":"x"})", "secret");
  ASSERT_TRUE(broken);
  EXPECT_EQ(broken->type, Incoming::Type::other);
}

}  // namespace
}  // namespace actionhost::cluster
