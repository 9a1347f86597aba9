// Chat with hooks (actions/chat.cpp) over an ActionSet whose hooks are plain functions: the
// order of priorities, deny and rewrite, per-recipient delivery, member records.

#include "actions/chat.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "actions/hook_call.hpp"
#include "fake_peer.hpp"

namespace actionhost {
namespace {

struct Origin final : PluginOrigin {
  explicit Origin(std::string n) : name_(std::move(n)) {}
  const std::string& name() const override { return name_; }
  const std::string& version() const override { return version_; }
  const std::string& file() const override { return name_; }
  std::string name_, version_ = "1.0.0";
};

std::vector<std::string> g_calls;

std::string field(ah_hook* handle, const char* name) {
  const Json* value = HookCall::from_handle(handle)->find(name);
  return value && value->is_string() ? value->get<std::string>() : "";
}

ah_hook_result record(void* user, ah_hook* handle) {
  g_calls.push_back(std::string(static_cast<const char*>(user)) + ":" + field(handle, "room"));
  return AH_HOOK_ALLOW;
}
ah_hook_result deny_closed(void*, ah_hook* handle) {
  if (field(handle, "room") != "closed") return AH_HOOK_ALLOW;
  HookCall::from_handle(handle)->deny_with("closed is closed");
  return AH_HOOK_DENY;
}
ah_hook_result shout(void*, ah_hook* handle) {
  std::string message = field(handle, "message");
  for (char& c : message) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  static_cast<void>(HookCall::from_handle(handle)->set("message", message));
  return AH_HOOK_ALLOW;
}
ah_hook_result drop_for_bob(void*, ah_hook* handle) {
  return HookCall::from_handle(handle)->connection()->peer_id() == "bob" ? AH_HOOK_DENY : AH_HOOK_ALLOW;
}
ah_hook_result add_type(void*, ah_hook* handle) {
  static_cast<void>(HookCall::from_handle(handle)->set("type", "socket"));
  return AH_HOOK_ALLOW;
}

std::shared_ptr<const Hook> hook(HookKind kind, int priority, ah_hook_fn run, const char* user = "") {
  auto made = std::make_shared<Hook>();
  made->kind = kind;
  made->priority = priority;
  made->run = run;
  made->user = const_cast<char*>(user);
  made->library = std::make_shared<Origin>("p");
  return made;
}

class ChatHooks : public ::testing::Test {
 protected:
  ChatHooks() {
    g_calls.clear();
    EXPECT_TRUE(rooms.create("lobby"));
    EXPECT_TRUE(rooms.create("closed"));
  }
  ActionSet with(std::vector<std::shared_ptr<const Hook>> first,
                 std::vector<std::shared_ptr<const Hook>> second = {}) {
    std::vector<LoadedPlugin> plugins;
    plugins.push_back({std::make_shared<Origin>("first"), {}, std::move(first)});
    plugins.push_back({std::make_shared<Origin>("second"), {}, std::move(second)});
    return ActionSet(std::move(plugins));
  }
  RoomRegistry rooms;
  std::shared_ptr<test::FakePeer> alice = std::make_shared<test::FakePeer>("alice");
  std::shared_ptr<test::FakePeer> bob = std::make_shared<test::FakePeer>("bob");
};

TEST_F(ChatHooks, RunByPriorityThenPluginOrder) {
  ActionSet set = with(
      {hook(HookKind::chat_join, 100, record, "a100"), hook(HookKind::chat_join, 5, record, "a5")},
      {hook(HookKind::chat_join, 100, record, "b100"), hook(HookKind::chat_join, 1, record, "b1")});
  ASSERT_TRUE(chat::join(rooms, set, alice, "lobby", 1));
  EXPECT_EQ(g_calls, (std::vector<std::string>{"b1:lobby", "a5:lobby", "a100:lobby", "b100:lobby"}));
}

TEST_F(ChatHooks, ADeniedJoinChangesNothingAndSaysWhy) {
  ActionSet set = with({hook(HookKind::chat_join, 100, deny_closed)});
  auto denied = chat::join(rooms, set, alice, "closed", 1);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.problem().message, "closed is closed");
  EXPECT_FALSE(rooms.is_member("closed", "alice"));
  // The verb's own errors come before any hook.
  EXPECT_EQ(chat::join(rooms, set, alice, "nowhere", 1).problem().message, "room does not exist");
}

TEST_F(ChatHooks, SayIsRewrittenOnceAndDeliveredPerRecipient) {
  ActionSet set = with({hook(HookKind::chat_say, 100, shout), hook(HookKind::chat_deliver, 100, drop_for_bob)});
  ASSERT_TRUE(rooms.join("lobby", alice, 1));
  ASSERT_TRUE(rooms.join("lobby", bob, 1));
  ASSERT_TRUE(chat::say(rooms, set, *alice, "lobby", "hi", 2));
  ASSERT_EQ(alice->received.size(), 1u);
  EXPECT_EQ(Json::parse(alice->received[0])["message"], "HI");
  EXPECT_TRUE(bob->received.empty());
}

TEST_F(ChatHooks, MemberHooksAddFieldsToTheRecord) {
  ActionSet set = with({hook(HookKind::chat_member, 100, add_type)});
  ASSERT_TRUE(rooms.join("lobby", alice, 7));
  Json record = chat::member_record(set, "lobby", (**rooms.members("lobby"))[0]);
  EXPECT_EQ(record, (Json{{"id", "alice"}, {"joinedAt", 7}, {"type", "socket"}}));
}

TEST_F(ChatHooks, CloseRunsLeaveHooksThenLeavesEveryRoomEvenIfDenied) {
  ActionSet set = with({hook(HookKind::chat_leave, 100, deny_closed),
                        hook(HookKind::chat_leave, 100, record, "leave"),
                        hook(HookKind::connection_close, 100, record, "close")});
  ASSERT_TRUE(rooms.join("closed", alice, 1));
  ASSERT_TRUE(rooms.join("lobby", alice, 1));
  chat::close(rooms, set, *alice, "client quit");
  EXPECT_TRUE(rooms.rooms_of("alice").empty());
  EXPECT_EQ(g_calls, (std::vector<std::string>{"leave:lobby", "close:"}));
}

}  // namespace
}  // namespace actionhost
