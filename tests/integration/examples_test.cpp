// The example plugins of plugins/examples/ (SPEC §5.5), loaded as shipped into the real
// server. The room notices and member data cases are actionhero's own chat tests ("join
// and leave notices", "custom member data") run against them.

#include <gtest/gtest.h>

#include <signal.h>

#include <memory>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

std::string id_of(Client& client) { return client.request("detailsView")["data"]["id"]; }

// Chat in one room, "lobby", which no connection joins by itself.
std::string chat_config(const PluginDir& plugins, const std::string& more = "") {
  return plugins.config() + more + "[chat]\nstarting_rooms = [\"lobby\"]\ndefault_room = \"\"\n";
}

TEST(RoomNotices, MembersHearWhoEntersAndLeavesTheJoinerDoesNotHearItself) {
  PluginDir plugins;
  plugins.add("room_notices");
  ServerProcess server(chat_config(plugins));
  Client alice(server.port());
  Client bob(server.port());
  const std::string bob_id = id_of(bob);
  ASSERT_EQ(alice.request("roomAdd lobby")["data"], true);

  // bob's join: alice, already in, hears it; bob's next line is his own answer.
  EXPECT_EQ(bob.request("roomAdd lobby")["data"], true);
  Json notice = alice.read_json();
  EXPECT_EQ(notice["message"], "I have entered the room: " + bob_id);
  EXPECT_EQ(notice["room"], "lobby");
  EXPECT_EQ(notice["from"], 0);
  EXPECT_EQ(notice["context"], "user");

  // bob's leave: announced before he leaves, so both hear it.
  bob.send_line("roomLeave lobby");
  Json bob_hears = bob.read_json();
  EXPECT_EQ(bob_hears["message"], "I have left the room: " + bob_id);
  EXPECT_EQ(bob.read_json()["data"], true);
  EXPECT_EQ(alice.read_json()["message"], "I have left the room: " + bob_id);
}

TEST(MemberType, EveryMemberInRoomViewIsOfTypeSocket) {
  PluginDir plugins;
  plugins.add("member_type");
  ServerProcess server(chat_config(plugins));
  Client alice(server.port());
  Client bob(server.port());
  ASSERT_EQ(alice.request("roomAdd lobby")["data"], true);
  ASSERT_EQ(bob.request("roomAdd lobby")["data"], true);
  Json view = alice.request("roomView lobby")["data"];
  ASSERT_EQ(view["membersCount"], 2);
  for (const auto& [id, member] : view["members"].items()) {
    EXPECT_EQ(member["type"], "socket");
    EXPECT_EQ(member["id"], id);
    EXPECT_TRUE(member["joinedAt"].is_number_integer());
  }
}

TEST(TokenAuth, RefusesToLoadWithoutItsToken) {
  PluginDir plugins;
  plugins.add("token_auth").add("random_number");
  ServerProcess server(plugins.config());
  EXPECT_EQ(
      server.count_log("token_auth.so refused: refused to load: plugins.config.tokenAuth.token is required"),
      1);
  Client client(server.port());
  EXPECT_TRUE(client.request("randomNumber")["randomNumber"].is_number());
}

TEST(TokenAuth, ProtectedActionsNeedALoginOnThatConnection) {
  PluginDir plugins;
  plugins.add("token_auth").add("random_number").add("status");
  ServerProcess server(plugins.config() +
                       "[plugins.config.tokenAuth]\ntoken = \"s3cret\"\nprotect = [\"randomNumber\"]\n");
  Client client(server.port());
  EXPECT_EQ(client.request("randomNumber")["error"], "Error: not authenticated");
  EXPECT_TRUE(client.request("status")["id"].is_string());  // not protected
  EXPECT_EQ(client.request(R"({"action":"login","params":{"token":"nope"}})")["error"], "Error: wrong token");
  EXPECT_EQ(client.request(R"({"action":"login","params":{}})")["error"],
            "Error: token is a required parameter for this action");
  Json login = client.request(R"({"action":"login","params":{"token":"s3cret"}})");
  EXPECT_EQ(login["authenticated"], true);
  EXPECT_TRUE(client.request("randomNumber")["randomNumber"].is_number());
  // The mark is connection data: another connection is not logged in, and it never shows.
  Client other(server.port());
  EXPECT_EQ(other.request("randomNumber")["error"], "Error: not authenticated");
  EXPECT_EQ(client.request("detailsView")["data"].dump().find("authenticated"), std::string::npos);
}

TEST(TokenAuth, SighupRereadsItsSettingsAndReloadsIt) {
  PluginDir plugins;
  plugins.add("token_auth").add("random_number");
  ServerProcess server(plugins.config());  // no token: refused
  ASSERT_EQ(server.count_log("plugins.config.tokenAuth.token is required"), 1);
  server.dir().write("actionhost.toml",
                     plugins.config() +
                         "[plugins.config.tokenAuth]\ntoken = \"t1\"\nprotect = [\"randomNumber\"]\n");
  ASSERT_EQ(kill(server.pid(), SIGHUP), 0);
  ASSERT_TRUE(server.wait_for_log("loaded plugin tokenAuth 1.0.0")) << server.log();
  Client client(server.port());
  EXPECT_EQ(client.request("randomNumber")["error"], "Error: not authenticated");

  // A changed setting reloads the plugin with it.
  server.dir().write("actionhost.toml", plugins.config() + "[plugins.config.tokenAuth]\ntoken = \"t2\"\n");
  ASSERT_EQ(kill(server.pid(), SIGHUP), 0);
  ASSERT_TRUE(server.wait_for_log_count("loaded plugin tokenAuth 1.0.0", 2)) << server.log();
  EXPECT_TRUE(client.request("randomNumber")["randomNumber"].is_number());
  EXPECT_EQ(client.request(R"({"action":"login","params":{"token":"t1"}})")["error"], "Error: wrong token");
  EXPECT_EQ(client.request(R"({"action":"login","params":{"token":"t2"}})")["authenticated"], true);
}

TEST(TokenAuth, OneSettingCanBeSetOnTheCommandLine) {
  PluginDir plugins;
  plugins.add("token_auth").add("random_number");
  ServerProcess server(plugins.config() + "[plugins.config.tokenAuth]\nprotect = [\"randomNumber\"]\n",
                       {"--set", "plugins.config.tokenAuth.token=cli"});
  Client client(server.port());
  EXPECT_EQ(client.request("randomNumber")["error"], "Error: not authenticated");
  EXPECT_EQ(client.request(R"({"action":"login","params":{"token":"cli"}})")["authenticated"], true);
}

TEST(SayFilter, MasksBannedWordsForEveryoneAndRefusesLongMessages) {
  PluginDir plugins;
  plugins.add("say_filter");
  ServerProcess server(
      chat_config(plugins, "[plugins.config.sayFilter]\nbanned = [\"darn\"]\nmax_length = 20\n"));
  Client alice(server.port());
  Client bob(server.port());
  ASSERT_EQ(alice.request("roomAdd lobby")["data"], true);
  ASSERT_EQ(bob.request("roomAdd lobby")["data"], true);

  alice.send_line("say lobby oh DARN it, darned");
  EXPECT_EQ(alice.read_json()["message"], "oh *** it, darned");
  EXPECT_EQ(alice.read_json()["status"], "OK");
  EXPECT_EQ(bob.read_json()["message"], "oh *** it, darned");

  Json refused = alice.request("say lobby this message is far too long");
  EXPECT_EQ(refused["error"], "message too long (max 20)");
  // Nobody received it: bob's next line answers his own request.
  EXPECT_EQ(bob.request("paramsView")["status"], "OK");
}

// actionhero's own socket chat tests (__tests__/servers/socket: "Folks are notified when I
// join a room", "... when I leave a room", "custom room member data"), in their order, with
// room_notices and member_type loaded in place of the middleware those tests add.
class ActionheroChatTests : public ::testing::Test {
 protected:
  ActionheroChatTests() {
    plugins_.add("room_notices").add("member_type");
    server_ = std::make_unique<ServerProcess>(plugins_.config() +
                                              "[chat]\nstarting_rooms = [\"defaultRoom\", \"otherRoom\"]\n");
    for (auto* client : {&client1_, &client2_, &client3_}) *client = std::make_unique<Client>(server_->port());
    // Each connection's join of defaultRoom was announced to those already there: drain.
    for (auto* client : {&client1_, &client2_, &client3_}) answer(**client, "detailsView");
  }
  // The answer to `line`, skipping the chat messages that arrive before it.
  static Json answer(Client& client, const std::string& line) {
    client.send_line(line);
    for (;;) {
      Json next = client.read_json();
      if (next.is_null() || next.value("context", "") != "user") return next;
    }
  }
  PluginDir plugins_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<Client> client1_, client2_, client3_;
};

TEST_F(ActionheroChatTests, FolksAreNotifiedWhenIJoinARoomThenWhenILeaveOne) {
  const std::string client2_id = answer(*client2_, "detailsView")["data"]["id"];
  ASSERT_EQ(answer(*client1_, "roomAdd otherRoom")["data"], true);
  client2_->send_line("roomAdd otherRoom");
  Json joined = client1_->read_json();
  EXPECT_EQ(joined["message"], "I have entered the room: " + client2_id);
  EXPECT_EQ(joined["from"], 0);

  client2_->send_line("roomLeave defaultRoom");
  Json left = client1_->read_json();
  EXPECT_EQ(left["message"], "I have left the room: " + client2_id);
  EXPECT_EQ(left["from"], 0);
}

TEST_F(ActionheroChatTests, CustomRoomMemberDataShowsTheTypeOfEveryMember) {
  Json view = answer(*client2_, "roomView defaultRoom")["data"];
  EXPECT_EQ(view["room"], "defaultRoom");
  ASSERT_EQ(view["membersCount"], 3);
  for (const auto& [id, member] : view["members"].items()) EXPECT_EQ(member["type"], "socket") << id;
}

}  // namespace
}  // namespace actionhost::test
