// What ABI version 2 lets a plugin do (SPEC §5.1, §5.3, §5.4), through tests/plugins/
// extender.cpp in the real server; and a plugin built against ABI version 1's headers,
// serving unchanged.

#include <gtest/gtest.h>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

std::string id_of(Client& client) { return client.request("detailsView")["data"]["id"]; }

class Extender : public ::testing::Test {
 protected:
  Extender() { plugins_.add("extender"); }
  std::string config(const std::string& more = "") const {
    return plugins_.config() + "[plugins.config.extender]\ngreeting = \"hi\"\nlimits = [1, 2]\n" + more;
  }
  PluginDir plugins_;
};

TEST_F(Extender, GetsItsSettingsAsJson) {
  ServerProcess server(config());
  Client client(server.port());
  EXPECT_EQ(client.request("settings")["settings"], (Json{{"greeting", "hi"}, {"limits", {1, 2}}}));
}

TEST_F(Extender, SeesTheCallingConnectionAndAttachesDataToIt) {
  ServerProcess server(config());
  Client client(server.port());
  const std::string id = id_of(client);
  Json who = client.request("whoami");
  EXPECT_EQ(who["id"], id);
  EXPECT_EQ(who["remoteIP"], "127.0.0.1");
  EXPECT_EQ(who["remotePort"], client.local_port());
  EXPECT_EQ(who["rooms"], Json::array({"defaultRoom"}));
  EXPECT_TRUE(who["tag"].is_null());

  EXPECT_EQ(client.request("tagMe tag=blue")["error"], "Error: tag is a required parameter for this action");
  EXPECT_EQ(client.request(R"({"action":"tagMe","params":{"tag":"blue"}})")["tagged"], id);
  EXPECT_EQ(client.request("whoami")["tag"], "blue");
  Client other(server.port());
  EXPECT_TRUE(other.request("whoami")["tag"].is_null());
  EXPECT_EQ(client.request("detailsView")["data"].dump().find("blue"), std::string::npos);
}

TEST_F(Extender, ConvertsTypedSocketParamsAndNamesTheTypeWhenTheyDoNot) {
  ServerProcess server(config());
  Client client(server.port());
  for (const char* set : {"paramAdd count=12", "paramAdd ratio=0.25", "paramAdd flag=true",
                          R"(paramAdd object={"a":1})", "paramAdd list=[1,2]", "paramAdd word=7"}) {
    ASSERT_EQ(client.request(set)["status"], "OK") << set;
  }
  Json params = client.request("typed")["params"];
  EXPECT_EQ(params["count"], 12);
  EXPECT_EQ(params["ratio"], 0.25);
  EXPECT_EQ(params["flag"], true);
  EXPECT_EQ(params["object"], (Json{{"a", 1}}));
  EXPECT_EQ(params["list"], Json::array({1, 2}));
  EXPECT_EQ(params["word"], "7");

  struct Case {
    const char* param;
    const char* error;
  };
  for (const Case& bad : {Case{"count=1.5", "Error: count should be a integer"},
                          Case{"count=ten", "Error: count should be a integer"},
                          Case{"ratio=x1", "Error: ratio should be a number"},
                          Case{"flag=yes", "Error: flag should be a boolean"},
                          Case{"object=[1]", "Error: object should be a object"},
                          Case{"list=3", "Error: list should be a array"}}) {
    Client fresh(server.port());
    ASSERT_EQ(fresh.request(std::string("paramAdd ") + bad.param)["status"], "OK");
    EXPECT_EQ(fresh.request("typed")["error"], bad.error) << bad.param;
  }
  // JSON requests carry real types; a number where a string is wanted is its text.
  EXPECT_EQ(client.request(R"({"action":"typed","params":{"count":3,"word":5}})")["params"]["word"], "5");
}

TEST_F(Extender, AStandardLibraryExceptionIsAnsweredInWordsNotAFunctionName) {
  ServerProcess server(config());
  Client client(server.port());
  EXPECT_EQ(client.request(R"({"action":"parseNumber","params":{"text":"12"}})")["number"], 12);
  EXPECT_EQ(client.request(R"({"action":"parseNumber","params":{"text":"abc"}})")["error"],
            "Error: a value is not a valid number (stoi)");
  EXPECT_EQ(client.request(R"({"action":"parseNumber","params":{"text":"99999999999"}})")["error"],
            "Error: a value is out of range (stoi)");
}

TEST_F(Extender, IncrementsTheCacheAtomically) {
  ServerProcess server(config());
  Client a(server.port());
  Client b(server.port());
  EXPECT_EQ(a.request("counter")["hits"], 1);
  EXPECT_EQ(b.request(R"({"action":"counter","params":{"by":10}})")["hits"], 11);
  EXPECT_EQ(a.request("counter")["hits"], 12);
}

TEST_F(Extender, AnActionsOwnTimeoutWinsOverTheServers) {
  ServerProcess server(config("[actions]\ntimeout_ms = 30000\n"));
  Client client(server.port());
  EXPECT_EQ(client.request("ownTimeout")["error"], "Error: the action timed out");
  EXPECT_TRUE(server.wait_for_log("did not answer within 200 ms (its own timeout)"));
}

TEST_F(Extender, WritesItsResponseStraightIntoTheAnswer) {
  ServerProcess server(config());
  Client client(server.port());
  Json answer = client.request(R"({"action":"written","params":{"name":"Zoë","n":"2.5","messageId":"w"}})");
  EXPECT_EQ(answer["text"], "line\n\"quoted\"");
  EXPECT_EQ(answer["integer"], -42);
  EXPECT_EQ(answer["number"], 0.5);
  EXPECT_EQ(answer["flag"], true);
  EXPECT_EQ(answer["object"], (Json{{"a", {1, 2}}}));
  EXPECT_EQ(answer["name"], "Zoë");
  EXPECT_EQ(answer["n"], 2.5);
  EXPECT_EQ(answer["context"], "response");
  EXPECT_EQ(answer["messageId"], "w");
}

TEST_F(Extender, BeforeHooksChangeParamsOrDenyAndAfterHooksChangeTheAnswer) {
  ServerProcess server(config());
  Client client(server.port());
  Json echoed = client.request(R"({"action":"echoParams","params":{"a":"x","added":"mine","junk":1}})");
  // What the hook added went through the pipeline (scrubbing kept it: an input).
  EXPECT_EQ(echoed["params"], (Json{{"a", "x"}, {"added", "by-hook"}}));
  EXPECT_EQ(echoed["after"], "echoParams");
  EXPECT_EQ(client.request(R"({"action":"echoParams","params":{"a":"deny"}})")["error"], "Error: denied a");
  EXPECT_EQ(client.request(R"({"action":"echoParams","params":{"a":"deny2"}})")["error"],
            "Error: denied by deny()");
  // Hooks for other actions leave them alone.
  EXPECT_FALSE(client.request("whoami").contains("after"));
}

TEST_F(Extender, ABeforeHookMayDecideLater) {
  ServerProcess server(config());
  Client client(server.port());
  EXPECT_EQ(client.request(R"({"action":"gated","params":{"pass":"yes"}})")["gate"], "opened");
  EXPECT_EQ(client.request(R"({"action":"gated","params":{"pass":"no"}})")["error"], "Error: gate closed");
  // While one waits, the connection serves others; the answers keep their messageIds.
  // (One write: two small ones could wait for each other in the client's TCP stack.)
  client.send(R"({"action":"gated","params":{"pass":"yes","messageId":"slow"}})"
              "\n"
              R"({"action":"whoami","params":{"messageId":"fast"}})"
              "\n");
  EXPECT_EQ(client.read_json()["messageId"], "fast");
  EXPECT_EQ(client.read_json()["messageId"], "slow");
}

TEST_F(Extender, ABeforeHookMayDecideLaterWithNoTimeoutAndAThrowDeniesWithItsMessage) {
  ServerProcess server(config("[actions]\ntimeout_ms = 0\n"));
  Client client(server.port());
  EXPECT_EQ(client.request(R"({"action":"gated","params":{"pass":"yes"}})")["gate"], "opened");
  EXPECT_EQ(client.request(R"({"action":"gated","params":{"pass":"no"}})")["error"], "Error: gate closed");
  EXPECT_EQ(client.request(R"({"action":"gated","params":{"pass":"throw"}})")["error"],
            "Error: thrown before deciding");
  EXPECT_EQ(client.request("detailsView")["data"]["pendingActions"], 0);
}

TEST_F(Extender, DeeplyNestedTextForATypedInputIsRefusedNotRecursedInto) {
  ServerProcess server(config());
  Client client(server.port());
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(client.request(R"({"action":"typed","params":{"list":")" + deep + R"("}})")["error"],
            "Error: list should be a array");
  EXPECT_EQ(client.request(R"({"action":"typed","params":{"list":"[[1]]"}})")["params"]["list"],
            Json::parse("[[1]]"));
}

TEST_F(Extender, ChatHooksDenyJoinsRewriteSaysAndDropDeliveries) {
  ServerProcess server(config("[chat]\nstarting_rooms = [\"closed\", \"echo\"]\ndefault_room = \"\"\n"));
  Client alice(server.port());
  Client bob(server.port());
  EXPECT_EQ(alice.request("roomAdd closed")["error"], "room closed is closed");
  ASSERT_EQ(alice.request("roomAdd echo")["data"], true);
  ASSERT_EQ(bob.request("roomAdd echo")["data"], true);
  alice.send_line("say echo quiet please");
  EXPECT_EQ(alice.read_json()["message"], "QUIET PLEASE");
  EXPECT_EQ(alice.read_json()["status"], "OK");
  EXPECT_EQ(bob.read_json()["message"], "QUIET PLEASE");

  // bob is tagged deaf: deliveries to him are dropped, alice still gets hers.
  ASSERT_TRUE(bob.request(R"({"action":"tagMe","params":{"tag":"deaf"}})").contains("tagged"));
  alice.send_line("say echo again");
  EXPECT_EQ(alice.read_json()["message"], "AGAIN");
  EXPECT_EQ(alice.read_json()["status"], "OK");
  EXPECT_EQ(bob.request("paramsView")["status"], "OK");  // no message came first

  // A change for one recipient is that recipient's alone: carol, who joined after the
  // whispered-to alice, gets the message as said.
  Client carol(server.port());
  ASSERT_EQ(carol.request("roomAdd echo")["data"], true);
  ASSERT_TRUE(alice.request(R"({"action":"tagMe","params":{"tag":"whisper"}})").contains("tagged"));
  carol.send_line("say echo Mind The Gap");
  EXPECT_EQ(alice.read_json()["message"], "mind the gap");
  EXPECT_EQ(carol.read_json()["message"], "MIND THE GAP");
  EXPECT_EQ(carol.read_json()["status"], "OK");
  EXPECT_EQ(bob.request("paramsView")["status"], "OK");
}

TEST_F(Extender, ChangesRoomsOfAnyConnectionAndSendsToOne) {
  ServerProcess server(config("[chat]\nstarting_rooms = [\"closed\"]\ndefault_room = \"\"\n"));
  Client admin(server.port());
  Client user(server.port());
  const std::string user_id = id_of(user);
  EXPECT_EQ(admin.request(R"({"action":"chatOps","params":{"op":"create","room":"ops"}})")["created"], true);
  EXPECT_EQ(admin.request(R"({"action":"chatOps","params":{"op":"add","room":"ops","id":")" + user_id +
                          R"("}})")["done"],
            true);
  EXPECT_EQ(user.request("detailsView")["data"]["rooms"], Json::array({"ops"}));
  Json members = admin.request(R"({"action":"chatOps","params":{"op":"members","room":"ops"}})")["members"];
  ASSERT_EQ(members.size(), 1u);
  EXPECT_EQ(members[0]["id"], user_id);
  // The join hooks run for a plugin's change too.
  EXPECT_EQ(admin.request(R"({"action":"chatOps","params":{"op":"add","room":"closed","id":")" + user_id +
                          R"("}})")["error"],
            "Error: room closed is closed");
  EXPECT_EQ(admin.request(R"({"action":"chatOps","params":{"op":"remove","room":"ops","id":")" + user_id +
                          R"("}})")["done"],
            true);
  EXPECT_EQ(admin.request(R"({"action":"chatOps","params":{"op":"send","id":")" + user_id +
                          R"(","message":"psst"}})")["sent"],
            true);
  Json direct = user.read_json();
  EXPECT_EQ(direct["message"], "psst");
  EXPECT_EQ(direct["from"], 0);
  EXPECT_EQ(direct["context"], "user");
  EXPECT_EQ(admin.request(R"({"action":"chatOps","params":{"op":"send","id":"nobody","message":"x"}})")["sent"],
            false);
}

TEST_F(Extender, ConnectionHooksSeeOpenAndClose) {
  ServerProcess server(config());
  std::string id;
  {
    Client client(server.port());
    id = id_of(client);
    EXPECT_TRUE(server.wait_for_log("extender saw " + id + " open from 127.0.0.1"));
  }
  EXPECT_TRUE(server.wait_for_log("extender saw " + id + " close: "));
}

TEST(AbiVersion1, APluginBuiltAgainstTheOldHeadersServesUnchanged) {
  PluginDir plugins;
  plugins.add("random_number_v1").add("cache_test_v1");
  ServerProcess server(plugins.config());
  EXPECT_TRUE(server.wait_for_log("loaded plugin randomNumber 1.0.0 from random_number_v1.so"));
  Client client(server.port());
  Json number = client.request("randomNumber");
  EXPECT_GE(number["randomNumber"].get<double>(), 0.0);
  EXPECT_LT(number["randomNumber"].get<double>(), 1.0);
  Json cached = client.request(R"({"action":"cacheTest","params":{"key":"k","value":"abcdef"}})");
  EXPECT_EQ(cached["cacheTestResults"]["loadResp"]["value"], "abcdef");
  EXPECT_EQ(cached["cacheTestResults"]["deleteResp"], true);
  EXPECT_EQ(client.request(R"({"action":"cacheTest","params":{"key":"k","value":"ab"}})")["error"],
            "Error: `value` should be at least 3 letters long");
}

}  // namespace
}  // namespace actionhost::test
