// Cluster mode (SPEC §9): actionhost servers sharing rooms, chat and the cache through a
// real redis-server the test starts, in actionhero 20's layout.

#include <gtest/gtest.h>

#include <csignal>
#include <memory>
#include <thread>
#include <vector>

#include "support/client.hpp"
#include "support/redis_server.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

using namespace std::chrono_literals;

constexpr const char* kToken = "cluster-test-token";

std::string id_of(Client& client) { return client.request("detailsView")["data"]["id"]; }

// The next line of `context` ("response" or "user"); lines of the other are skipped.
Json next_of(Client& client, const std::string& context) {
  for (;;) {
    Json line = client.read_json();
    if (line.is_null() || line.value("context", "") == context) return line;
  }
}

// Sends `line` and returns its answer, skipping chat messages that arrive meanwhile.
Json ask(Client& client, const std::string& line) {
  client.send_line(line);
  return next_of(client, "response");
}

// Says `message` in `room` and returns {its answer, the message as the sayer heard it}: the
// echo comes back through Redis and may arrive before or after the answer.
std::pair<Json, Json> say_and_hear(Client& client, const std::string& room, const std::string& message) {
  client.send_line("say " + room + " " + message);
  Json answer;
  Json heard;
  while (answer.is_null() || heard.is_null()) {
    Json line = client.read_json();
    if (line.is_null()) break;
    (line.value("context", "") == "response" ? answer : heard) = line;
    if (answer.contains("error")) break;
  }
  return {answer, heard};
}

// Polls `probe` until it returns true, for at most `timeout`.
template <class Probe>
bool eventually(Probe probe, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!probe()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

class Cluster : public ::testing::Test {
 protected:
  Cluster() { plugins_.add_all_shipped().add("extender"); }

  std::string config(std::int64_t presence_ttl_ms = 10000, const std::string& token = kToken) const {
    return plugins_.config() + "[cluster]\nredis = \"" + redis_.url() + "\"\ntoken = \"" + token +
           "\"\npresence_ttl_ms = " + std::to_string(presence_ttl_ms) + "\n";
  }
  // A server of the cluster, once it is connected to Redis.
  std::unique_ptr<ServerProcess> node(std::int64_t presence_ttl_ms = 10000) {
    auto server = std::make_unique<ServerProcess>(config(presence_ttl_ms));
    EXPECT_TRUE(server->wait_for_log("cluster: connected to redis")) << server->log();
    return server;
  }
  long members_in_redis(const std::string& room) {
    return static_cast<long>(
        RedisClient(redis_.port()).command({"HLEN", "actionhero:chatRoom:members:" + room}).integer);
  }

  RedisServer redis_;
  PluginDir plugins_;
};

TEST_F(Cluster, SayIsHeardOnEveryServerInOneOrder) {
  std::vector<std::unique_ptr<ServerProcess>> servers;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 3; ++i) {
    servers.push_back(node());
    clients.push_back(std::make_unique<Client>(servers.back()->port()));
  }
  ASSERT_TRUE(eventually([&] { return members_in_redis("defaultRoom") == 3; }));
  // Each client says five things in one write, all at once.
  for (int i = 0; i < 3; ++i) {
    std::string lines;
    for (int k = 0; k < 5; ++k)
      lines += "say defaultRoom from " + std::to_string(i) + " #" + std::to_string(k) + "\n";
    clients[i]->send(lines);
  }
  std::vector<std::vector<std::string>> heard(3);
  for (int i = 0; i < 3; ++i) {
    int answers = 0;
    while (heard[i].size() < 15 || answers < 5) {
      Json line = clients[i]->read_json();
      ASSERT_FALSE(line.is_null()) << "client " << i << " heard " << heard[i].size();
      if (line["context"] == "response") {
        EXPECT_EQ(line["status"], "OK") << line.dump();
        ++answers;
      } else {
        EXPECT_EQ(line["room"], "defaultRoom");
        heard[i].push_back(line["message"].get<std::string>());
      }
    }
  }
  EXPECT_EQ(heard[0], heard[1]);
  EXPECT_EQ(heard[0], heard[2]);
  // Each sender's messages keep their order within the one order.
  for (int i = 0; i < 3; ++i) {
    int next = 0;
    for (const auto& message : heard[0]) {
      if (message.rfind("from " + std::to_string(i), 0) == 0) {
        EXPECT_EQ(message, "from " + std::to_string(i) + " #" + std::to_string(next++));
      }
    }
    EXPECT_EQ(next, 5);
  }
}

TEST_F(Cluster, RoomViewListsTheMembersOfEveryServer) {
  auto a = node();
  auto b = node();
  Client on_a(a->port());
  Client on_b(b->port());
  const std::string id_a = id_of(on_a);
  const std::string id_b = id_of(on_b);
  EXPECT_EQ(ask(on_a, "roomAdd anotherRoom")["data"], true);
  EXPECT_EQ(ask(on_b, "roomAdd anotherRoom")["data"], true);
  Json view = ask(on_b, "roomView anotherRoom");
  ASSERT_EQ(view["status"], "OK") << view.dump();
  EXPECT_EQ(view["data"]["membersCount"], 2);
  EXPECT_TRUE(view["data"]["members"].contains(id_a)) << view.dump();
  EXPECT_TRUE(view["data"]["members"].contains(id_b)) << view.dump();
  EXPECT_EQ(view["data"]["members"][id_a]["id"], id_a);
  EXPECT_TRUE(view["data"]["members"][id_a]["joinedAt"].is_number_integer());
  // Joined on A: a second join, on any server, is refused; a room no server has is missing.
  EXPECT_EQ(ask(on_a, "roomAdd anotherRoom")["error"], "connection already in this room (anotherRoom)");
  EXPECT_EQ(ask(on_b, "roomAdd noSuchRoom")["error"], "room does not exist");
  EXPECT_EQ(ask(on_b, "roomLeave noSuchRoom")["error"], "room does not exist");
  // A plugin on A creates a room; B's client can join it.
  EXPECT_EQ(ask(on_a, R"({"action":"chatOps","params":{"op":"create","room":"madeOnA"}})")["created"], true);
  EXPECT_EQ(ask(on_b, "roomAdd madeOnA")["data"], true);
  Json members = ask(on_a, R"({"action":"chatOps","params":{"op":"members","room":"madeOnA"}})");
  ASSERT_EQ(members["members"].size(), 1u) << members.dump();
  EXPECT_EQ(members["members"][0]["id"], id_b);
  // Leaving on B shows on A.
  EXPECT_EQ(ask(on_b, "roomLeave anotherRoom")["data"], true);
  EXPECT_EQ(ask(on_a, "roomView anotherRoom")["data"]["membersCount"], 1);
  EXPECT_EQ(ask(on_b, "roomView anotherRoom")["error"], "not member of room anotherRoom");
}

TEST_F(Cluster, TheCacheWrittenOnOneServerIsReadOnAnotherWithItsExpiry) {
  auto a = node();
  auto b = node();
  Client on_a(a->port());
  Client on_b(b->port());
  Json saved = ask(
      on_a, R"({"action":"cacheOps","params":{"op":"save","key":"k","value":{"n":[1,2]},"expireMs":60000}})");
  ASSERT_EQ(saved["saved"], true) << saved.dump();
  Json loaded = ask(on_b, R"({"action":"cacheOps","params":{"op":"load","key":"k"}})")["loaded"];
  EXPECT_EQ(loaded["key"], "k");
  EXPECT_EQ(loaded["value"], (Json{{"n", {1, 2}}}));
  ASSERT_TRUE(loaded["expireTimestamp"].is_number_integer()) << loaded.dump();
  EXPECT_EQ(loaded["expireTimestamp"].get<std::int64_t>() - loaded["createdAt"].get<std::int64_t>(), 60000);
  // In Redis, as actionhero 20 lays it out, and expiring there.
  RedisClient redis(redis_.port());
  Json raw = Json::parse(redis.command({"GET", "actionhero:cache:k"}).text);
  EXPECT_EQ(raw["value"], (Json{{"n", {1, 2}}}));
  EXPECT_EQ(raw["expireTimestamp"], loaded["expireTimestamp"]);
  const auto ttl = redis.command({"PTTL", "actionhero:cache:k"}).integer;
  EXPECT_GT(ttl, 50000);
  EXPECT_LE(ttl, 60000);
  EXPECT_EQ(ask(on_b, R"({"action":"cacheOps","params":{"op":"size"}})")["size"], 1);
  // Atomic increments from both servers add up, in the same layout.
  for (int i = 0; i < 5; ++i) {
    on_a.send_line(R"({"action":"cacheOps","params":{"op":"increment","key":"hits"}})");
    on_b.send_line(R"({"action":"cacheOps","params":{"op":"increment","key":"hits"}})");
  }
  for (int i = 0; i < 5; ++i) {
    next_of(on_a, "response");
    next_of(on_b, "response");
  }
  EXPECT_EQ(ask(on_a, R"({"action":"cacheOps","params":{"op":"load","key":"hits"}})")["loaded"]["value"], 10);
  EXPECT_EQ(ask(on_b, R"({"action":"cacheOps","params":{"op":"destroy","key":"k"}})")["destroyed"], true);
  EXPECT_EQ(ask(on_a, R"({"action":"cacheOps","params":{"op":"load","key":"k"}})")["error"],
            "Error: Object not found");
  // An entry saved by actionhero (expired by its timestamp) reads as expired.
  redis.command(
      {"SET", "actionhero:cache:old", R"({"value":1,"expireTimestamp":1,"createdAt":0,"readAt":null})"});
  EXPECT_EQ(ask(on_b, R"({"action":"cacheOps","params":{"op":"load","key":"old"}})")["error"],
            "Error: Object expired");
}

TEST_F(Cluster, AServerKilledLosesItsMembersWithinThePresenceTtlAndOneStoppedAtOnce) {
  constexpr std::int64_t kTtl = 1000;
  auto a = node(kTtl);
  auto b = node(kTtl);
  auto c = node(kTtl);
  Client on_a(a->port());
  Client on_b(b->port());
  Client on_c(c->port());
  ASSERT_TRUE(eventually([&] { return members_in_redis("defaultRoom") == 3; }));
  EXPECT_TRUE(eventually([&] { return ask(on_a, R"({"action":"status"})")["cluster"]["servers"] == 3; }));
  b->stop(SIGKILL);
  const auto killed = std::chrono::steady_clock::now();
  ASSERT_TRUE(eventually([&] { return ask(on_a, "roomView defaultRoom")["data"]["membersCount"] == 2; }));
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                          killed);
  EXPECT_LE(took.count(), 2 * kTtl + 1000) << "SPEC §9: within 2 × presence_ttl_ms (+ 1 s for the polling)";
  // Whichever server swept first says so.
  EXPECT_TRUE(eventually([&] {
    return a->count_log("stopped refreshing its presence") + c->count_log("stopped refreshing its presence") >
           0;
  }));
  // A graceful stop removes its members (and its presence) before it exits.
  EXPECT_EQ(c->stop(SIGTERM), 0);
  EXPECT_EQ(members_in_redis("defaultRoom"), 1);
  // The count is as of the last sweep (every presence_ttl_ms / 2).
  EXPECT_TRUE(eventually([&] { return ask(on_a, R"({"action":"status"})")["cluster"]["servers"] == 1; }));
}

TEST_F(Cluster, ChatResumesByItselfWhenRedisRestartsUnderLoad) {
  auto a = node();
  auto b = node();
  Client on_a(a->port());
  Client on_b(b->port());
  ASSERT_TRUE(eventually([&] { return members_in_redis("defaultRoom") == 2; }));
  redis_.kill();
  ASSERT_TRUE(a->wait_for_log("cluster: lost redis")) << a->log();
  // Actions are served; chat and the cache say why they cannot be.
  EXPECT_TRUE(ask(on_a, "randomNumber").contains("randomNumber"));
  EXPECT_EQ(ask(on_a, "say defaultRoom hello?")["error"], "the cluster is unavailable");
  EXPECT_EQ(ask(on_a, "roomView defaultRoom")["error"], "the cluster is unavailable");
  EXPECT_EQ(ask(on_b, R"({"action":"cacheOps","params":{"op":"load","key":"k"}})")["error"],
            "Error: the cluster is unavailable");
  EXPECT_EQ(ask(on_a, R"({"action":"status"})")["cluster"]["redis"], "down");
  // Load while it is down: nothing is lost but the chat, and nobody exits.
  for (int i = 0; i < 20; ++i) on_b.send_line("randomNumber");
  for (int i = 0; i < 20; ++i) EXPECT_TRUE(next_of(on_b, "response").contains("randomNumber"));

  redis_.restart();  // empty: it lost the rooms and the members
  ASSERT_TRUE(a->wait_for_log("cluster: reconnected to redis")) << a->log();
  ASSERT_TRUE(b->wait_for_log("cluster: reconnected to redis")) << b->log();
  ASSERT_TRUE(eventually([&] { return members_in_redis("defaultRoom") == 2; }));
  auto [answer, heard] = say_and_hear(on_a, "defaultRoom", "back again");
  EXPECT_EQ(answer["status"], "OK") << answer.dump();
  EXPECT_EQ(heard["message"], "back again");
  EXPECT_EQ(next_of(on_b, "user")["message"], "back again");
  EXPECT_EQ(ask(on_b, "roomView defaultRoom")["data"]["membersCount"], 2);
  EXPECT_EQ(ask(on_a, R"({"action":"status"})")["cluster"]["redis"], "up");
}

TEST_F(Cluster, ARedisThatStopsAnsweringIsTakenForLostAndFoundAgain) {
  constexpr std::int64_t kTtl = 600;
  auto a = node(kTtl);
  Client on_a(a->port());
  redis_.pause();  // connections stay open; nothing is answered
  ASSERT_TRUE(a->wait_for_log("cluster: lost redis")) << a->log();
  EXPECT_NE(a->log().find("Redis did not answer for 200 ms"), std::string::npos) << a->log();
  EXPECT_EQ(ask(on_a, "say defaultRoom anyone?")["error"], "the cluster is unavailable");
  EXPECT_TRUE(ask(on_a, "randomNumber").contains("randomNumber"));
  redis_.resume();
  ASSERT_TRUE(a->wait_for_log("cluster: reconnected to redis")) << a->log();
  auto [answer, heard] = say_and_hear(on_a, "defaultRoom", "back");
  EXPECT_EQ(answer["status"], "OK") << answer.dump();
  EXPECT_EQ(heard["message"], "back");
}

TEST_F(Cluster, ConnectionsThatCloseWhileJoiningLeaveNoMemberBehind) {
  auto a = node();
  for (int i = 0; i < 30; ++i) {
    Client quick(a->port());
    quick.send("roomAdd anotherRoom\nquit\n");
  }  // each closes at once, its join perhaps still on its way to Redis
  Client probe(a->port());
  EXPECT_TRUE(eventually([&] { return ask(probe, R"({"action":"status"})")["connections"] == 1; }));
  EXPECT_TRUE(eventually([&] { return members_in_redis("anotherRoom") == 0; }))
      << members_in_redis("anotherRoom") << " closed connections are still members";
  EXPECT_TRUE(eventually([&] { return members_in_redis("defaultRoom") == 1; }));
}

TEST_F(Cluster, AMessageWithTheWrongTokenIsIgnored) {
  auto a = node();
  Client on_a(a->port());
  ASSERT_TRUE(eventually([&] { return members_in_redis("defaultRoom") == 1; }));
  RedisClient redis(redis_.port());
  auto chat = [](const std::string& token, const std::string& message) {
    return Json{
        {"messageType", "chat"}, {"serverToken", token}, {"serverId", "intruder"},
        {"message", message},    {"sentAt", 1},          {"connection", {{"id", "x"}, {"room", "defaultRoom"}}}}
        .dump();
  };
  redis.command({"PUBLISH", "actionhero", chat("wrong-token", "not for you")});
  redis.command({"PUBLISH", "actionhero", chat(kToken, "for you")});
  Json heard = next_of(on_a, "user");
  EXPECT_EQ(heard["message"], "for you");
  EXPECT_EQ(heard["from"], "x");
}

TEST_F(Cluster, ARemoteAddMemberRunsOnTheServerHoldingTheConnection) {
  auto a = node();
  Client on_a(a->port());
  const std::string id = id_of(on_a);
  RedisClient listener(redis_.port());
  listener.command({"SUBSCRIBE", "actionhero"});
  RedisClient redis(redis_.port());
  // As an actionhero 20 server asks for a connection it does not hold.
  redis.command({"PUBLISH", "actionhero",
                 Json{{"messageType", "do"},
                      {"serverId", "actionhero-1"},
                      {"serverToken", kToken},
                      {"messageId", "msg-1"},
                      {"method", "api.chatRoom.addMember"},
                      {"connectionId", id},
                      {"args", {id, "anotherRoom"}}}
                     .dump()});
  Json response = Json::object();
  for (int i = 0; i < 10 && response.value("messageType", "") != "doResponse"; ++i) {
    response = Json::parse(listener.next_message(5000), nullptr, false);
    if (!response.is_object()) response = Json::object();
  }
  EXPECT_EQ(response["messageId"], "msg-1") << response.dump();
  EXPECT_EQ(response["response"], true) << response.dump();
  EXPECT_EQ(response["serverToken"], kToken);
  EXPECT_EQ(ask(on_a, "detailsView")["data"]["rooms"], Json::array({"defaultRoom", "anotherRoom"}));
  EXPECT_EQ(members_in_redis("anotherRoom"), 1);
}

TEST_F(Cluster, APluginMovesAConnectionOfAnotherServerThroughTheCluster) {
  auto a = node();
  auto b = node();
  Client on_a(a->port());
  Client on_b(b->port());
  const std::string id_b = id_of(on_b);
  const std::string add = R"({"action":"chatOps","params":{"op":"add","room":"anotherRoom","id":")" + id_b +
                          "\"}}";
  const std::string remove = R"({"action":"chatOps","params":{"op":"remove","room":"anotherRoom","id":")" +
                             id_b + "\"}}";
  EXPECT_EQ(ask(on_a, add)["done"], true);
  auto rooms_of_b = [&] { return ask(on_b, "detailsView")["data"]["rooms"]; };
  EXPECT_TRUE(eventually([&] { return rooms_of_b() == Json::array({"defaultRoom", "anotherRoom"}); }));
  // What would make an actionhero server throw is refused before it is asked.
  EXPECT_EQ(ask(on_a, add)["error"], "Error: connection already in this room (anotherRoom)");
  EXPECT_EQ(ask(on_a, R"({"action":"chatOps","params":{"op":"add","room":"noSuchRoom","id":")" + id_b +
                          "\"}}")["error"],
            "Error: room does not exist");
  EXPECT_EQ(ask(on_a, remove)["done"], true);
  EXPECT_TRUE(eventually([&] { return rooms_of_b() == Json::array({"defaultRoom"}); }));
  EXPECT_EQ(ask(on_a, remove)["error"], "Error: connection not in this room (anotherRoom)");
}

TEST_F(Cluster, RedisDownAtStartServesActionsAndSaysTheClusterIsUnavailable) {
  redis_.kill();
  ServerProcess server(config());
  ASSERT_TRUE(server.wait_for_log("cluster: cannot reach redis")) << server.log();
  Client client(server.port());
  EXPECT_TRUE(ask(client, "randomNumber").contains("randomNumber"));
  EXPECT_EQ(ask(client, "roomAdd anotherRoom")["error"], "the cluster is unavailable");
  EXPECT_EQ(ask(client, R"({"action":"status"})")["cluster"], (Json{{"redis", "down"}, {"servers", 0}}));
  redis_.restart();
  ASSERT_TRUE(server.wait_for_log("cluster: connected to redis")) << server.log();
  EXPECT_EQ(ask(client, "roomAdd anotherRoom")["data"], true);
}

TEST(ClusterConfig, ATokenIsRequiredAndTheUrlIsChecked) {
  TempDir dir;
  const std::string config = dir.write("actionhost.toml", "[plugins]\ndir = \"" ACTIONHOST_PLUGIN_DIR "\"\n");
  auto without_token = run_process({ACTIONHOST_BINARY, "--config", config, "--set",
                                    "cluster.redis=\"redis://127.0.0.1:1\"", "--set", "server.supervise=false",
                                    "--set", "socket.port=0"});
  EXPECT_NE(without_token.exit_code, 0);
  EXPECT_NE(without_token.output.find("cluster.token is required when cluster.redis is set"), std::string::npos)
      << without_token.output;
  auto bad_url = run_process({ACTIONHOST_BINARY, "--config", config, "--set",
                              "cluster.redis=\"localhost:6379\"", "--set", "cluster.token=\"t\"", "--set",
                              "server.supervise=false", "--set", "socket.port=0"});
  EXPECT_NE(bad_url.exit_code, 0);
  EXPECT_NE(bad_url.output.find("expected redis://[:PASSWORD@]HOST:PORT[/DB]"), std::string::npos)
      << bad_url.output;
}

}  // namespace
}  // namespace actionhost::test
