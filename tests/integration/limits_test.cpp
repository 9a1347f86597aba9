// SPEC §7: bad input and greedy clients never crash the server or harm other clients.

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

TEST(Limits, ALineOverMaxLineBytesIsRefusedAndTheConnectionStaysUsable) {
  ServerProcess server("[socket]\nmax_line_bytes = 64\n");
  Client client(server.port());
  client.send_line("paramAdd messageId=m1");
  client.read_json();
  client.send_line(std::string(65, 'x'));
  EXPECT_EQ(
      client.read_json().dump(),
      R"({"error":"request line too long: the limit is 64 bytes (socket.max_line_bytes); the line was discarded","context":"response","messageCount":2,"messageId":"m1"})");
  EXPECT_EQ(client.request("paramsView")["messageCount"], 3);
  // A line of exactly the limit is a request like any other.
  std::string exact = "paramAdd callback=" + std::string(64 - 18, 'y');
  ASSERT_EQ(exact.size(), 64u);
  EXPECT_EQ(client.request(exact)["status"], "OK");
}

TEST(Limits, AnEndlessLineIsRefusedBeforeItEnds) {
  ServerProcess server("[socket]\nmax_line_bytes = 1024\n");
  Client client(server.port());
  client.send(std::string(100000, 'z'));  // no line end yet
  Json refusal = client.read_json();
  EXPECT_NE(refusal["error"].get<std::string>().find("max_line_bytes"), std::string::npos);
  client.send("zzz\nparamsView\n");  // the end of the long line, then a good one
  EXPECT_EQ(client.read_json()["messageCount"], 2);
}

TEST(Limits, InvalidJsonIsRefused) {
  ServerProcess server;
  Client client(server.port());
  Json answer = client.request(R"({"action":"x",)");
  EXPECT_EQ(answer["error"].get<std::string>().rfind("invalid JSON request: ", 0), 0u) << answer;
  EXPECT_EQ(answer["context"], "response");
  EXPECT_EQ(answer["messageCount"], 1);
  EXPECT_EQ(client.request("paramsView")["status"], "OK");
}

TEST(Limits, DeeplyNestedJsonIsRefused) {
  ServerProcess server;
  Client client(server.port());
  std::string deep = R"({"action":"a","params":{"x":)" + std::string(100000, '[') + std::string(100000, ']') +
                     "}}";
  Json answer = client.request(deep);
  EXPECT_EQ(answer["error"].get<std::string>().rfind("invalid JSON request: ", 0), 0u);
}

TEST(Limits, InvalidUtf8IsRefusedWithoutHarm) {
  ServerProcess server("[server]\ndisable_param_scrubbing = true\n");
  Client client(server.port());
  Client other(server.port());
  for (std::string line : {std::string("paramAdd k=\xc3\x28"), std::string("say defaultRoom \xff\xfe"),
                           std::string("{\"action\":\"\xe0\x80\x80\"}"), std::string("\xed\xa0\x80")}) {
    Json answer = client.request(line);
    EXPECT_EQ(answer["error"], "invalid UTF-8 in request: send text encoded as UTF-8");
  }
  EXPECT_EQ(client.request("paramsView")["data"], Json::object());
  EXPECT_EQ(other.request("paramsView")["messageCount"], 1);  // the other client never saw a say
}

TEST(Limits, AClientThatDoesNotReadIsDisconnectedAndOthersAreUnaffected) {
  ServerProcess server("[socket]\nmax_output_bytes = 262144\n");
  Client::Options small_window;
  small_window.receive_buffer_bytes = 4096;
  Client sleeper(server.port(), small_window);
  std::string sleeper_id = sleeper.request("detailsView")["data"]["id"];
  Client talker(server.port());

  // Kernel buffers on both sides absorb a few MB; send far more than that.
  const std::string message = "say defaultRoom " + std::string(60000, 'm');
  bool disconnected = false;
  for (int i = 0; i < 400 && !disconnected; ++i) {
    Json chat = talker.request(message);  // talker reads its copy and its answer
    ASSERT_EQ(chat["context"], "user");
    ASSERT_EQ(talker.read_json()["status"], "OK");
    disconnected = server.count_log("connection " + sleeper_id + " closed") > 0;
  }
  ASSERT_TRUE(disconnected) << server.log();
  EXPECT_TRUE(server.wait_for_log("socket.max_output_bytes"));
  EXPECT_EQ(talker.request("roomView defaultRoom")["data"]["membersCount"], 1);
  EXPECT_TRUE(sleeper.closed_by_server());
}

TEST(Limits, MaxConnectionsRefusesTheOneTooMany) {
  ServerProcess server("[socket]\nmax_connections = 2\n");
  auto first = std::make_unique<Client>(server.port());
  Client second(server.port());
  std::string first_id = first->request("detailsView")["data"]["id"];
  {
    Client third(server.port());
    EXPECT_EQ(third.first_line().dump(), R"({"error":"too many connections","context":"api"})");
    EXPECT_TRUE(third.closed_by_server());
  }
  EXPECT_TRUE(server.wait_for_log("socket.max_connections (2) reached"));
  first->send_line("quit");
  ASSERT_TRUE(first->closed_by_server());
  ASSERT_TRUE(server.wait_for_log("connection " + first_id + " closed"));
  Client fourth(server.port());
  EXPECT_EQ(fourth.first_line()["context"], "api");
  EXPECT_TRUE(fourth.first_line().contains("welcome"));
}

TEST(Limits, AnIdleClientGetsTheGoodbyeLine) {
  ServerProcess server("[socket]\nidle_timeout_ms = 300\n");
  auto started = std::chrono::steady_clock::now();
  Client idle(server.port());
  Client busy(server.port());
  // busy keeps talking for longer than the timeout; idle says nothing.
  std::optional<std::string> goodbye;
  while (std::chrono::steady_clock::now() - started < 5s) {
    ASSERT_EQ(busy.request("paramsView")["status"], "OK");
    goodbye = idle.read_line(50ms);
    if (goodbye) break;
  }
  EXPECT_EQ(goodbye, R"({"status":"Bye!","context":"api"})");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  EXPECT_TRUE(idle.closed_by_server());
  EXPECT_EQ(busy.request("paramsView")["status"], "OK");
}

TEST(Limits, GarbageNeverStopsTheServer) {
  ServerProcess server;
  {
    Client client(server.port());
    std::string garbage;
    for (int i = 0; i < 20000; ++i) garbage.push_back(static_cast<char>((i * 7919) % 256));
    client.send(garbage);
  }
  Client after(server.port());
  EXPECT_EQ(after.request("paramsView")["status"], "OK");
}

}  // namespace
}  // namespace actionhost::test
