// The life of one connection: welcome, framing, counting, messageId, goodbye (SPEC §4.1–4.3).

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

TEST(Connection, WelcomesAndJoinsTheDefaultRoom) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.first_line().dump(),
            R"({"welcome":"Hello! Welcome to the actionhero api","room":"defaultRoom","context":"api"})");
}

TEST(Connection, WelcomesWithoutARoomWhenNoneIsSet) {
  ServerProcess server("[chat]\ndefault_room = \"\"\n[server]\nwelcome_message = \"hi there\"\n");
  Client client(server.port());
  EXPECT_EQ(client.first_line().dump(), R"({"welcome":"hi there","context":"api"})");
  EXPECT_EQ(client.request("detailsView")["data"]["rooms"], Json::array());
}

TEST(Connection, DetailsViewDescribesTheConnection) {
  ServerProcess server;
  Client client(server.port());
  auto before = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  Json answer = client.request("detailsView");
  EXPECT_EQ(answer["status"], "OK");
  EXPECT_EQ(answer["context"], "response");
  EXPECT_EQ(answer["messageCount"], 1);
  const Json& data = answer["data"];
  const std::regex uuid_v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(data["id"].get<std::string>(), uuid_v4)) << data["id"];
  EXPECT_EQ(data["fingerprint"], data["id"]);
  EXPECT_EQ(data["remoteIP"], "127.0.0.1");
  EXPECT_EQ(data["remotePort"], client.local_port());
  EXPECT_EQ(data["params"], Json::object());
  EXPECT_LE(std::abs(data["connectedAt"].get<std::int64_t>() - before), 10000);
  EXPECT_EQ(data["rooms"], Json::array({"defaultRoom"}));
  EXPECT_EQ(data["totalActions"], 0);
  EXPECT_EQ(data["pendingActions"], 0);
}

TEST(Connection, CountsNonEmptyLinesWhateverTheirEnding) {
  ServerProcess server;
  Client client(server.port());
  client.send("\r\n\n\rparamsView\rparamsView\r\n\r\nparamsView\n");
  for (int count = 1; count <= 3; ++count) EXPECT_EQ(client.read_json()["messageCount"], count);
}

TEST(Connection, AnswersPipelinedRequestsInOrder) {
  ServerProcess server;
  Client client(server.port());
  std::string burst;
  for (int i = 0; i < 500; ++i) burst += "paramsView\n";
  client.send(burst);
  for (int count = 1; count <= 500; ++count) {
    ASSERT_EQ(client.read_json()["messageCount"], count);
  }
}

TEST(Connection, UnknownActionsAreAnsweredWithThePrefixAndBecomeTheStickyAction) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.request("noSuchAction").dump(),
            R"({"error":"Error: unknown action or invalid apiVersion","context":"response","messageCount":1})");
  Json params = client.request("paramsView")["data"];
  EXPECT_EQ(params, (Json{{"action", "noSuchAction"}}));
  EXPECT_EQ(client.request("detailsView")["data"]["totalActions"], 1);
}

TEST(Connection, JsonRequestsUseTheirOwnParamsAndLeaveTheStickyOnesAlone) {
  ServerProcess server;
  Client client(server.port());
  client.request("paramAdd messageId=sticky");
  EXPECT_EQ(
      client.request(R"({"action":"noSuchAction","params":{"messageId":"own","key":"k"}})").dump(),
      R"({"error":"Error: unknown action or invalid apiVersion","context":"response","messageCount":2,"messageId":"own"})");
  EXPECT_EQ(client.request("paramsView")["data"], (Json{{"messageId", "sticky"}}));
  // Without a messageId of its own, a JSON request's answer carries the sticky one.
  EXPECT_EQ(client.request(R"({"action":"noSuchAction"})")["messageId"], "sticky");
}

TEST(Connection, StickyMessageIdIsEchoedRightAfterMessageCount) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_FALSE(client.request("paramAdd messageId=abc").contains("messageId"));
  EXPECT_EQ(client.request("paramView messageId").dump(),
            R"({"status":"OK","context":"response","data":"abc","messageCount":2,"messageId":"abc"})");
  EXPECT_EQ(
      client.request("roomAdd nowhere").dump(),
      R"({"status":"room does not exist","error":"room does not exist","context":"response","data":null,"messageCount":3,"messageId":"abc"})");
  EXPECT_EQ(client.request("{oops")["messageId"], "abc");
}

TEST(Connection, QuitAndExitSayGoodbyeAndClose) {
  ServerProcess server;
  for (const char* verb : {"quit", "exit"}) {
    Client client(server.port());
    client.send(std::string(verb) + "\nparamsView\n");
    EXPECT_EQ(client.read_line(), R"({"status":"Bye!","context":"api"})");
    EXPECT_TRUE(client.closed_by_server()) << verb;
  }
}

TEST(Connection, TelnetCtrlCAndCtrlDSayGoodbyeAndClose) {
  ServerProcess server;
  for (std::string bytes : {std::string("\xff\xf4\xff\xfd\x06", 5), std::string("\x04")}) {
    Client client(server.port());
    client.send("paramsView\n" + bytes);
    EXPECT_EQ(client.read_json()["messageCount"], 1);
    EXPECT_EQ(client.read_line(), R"({"status":"Bye!","context":"api"})");
    EXPECT_TRUE(client.closed_by_server());
  }
}

TEST(Connection, LogsOneLineWhenOpenedAndOneWhenClosed) {
  ServerProcess server;
  std::string id;
  {
    Client client(server.port());
    id = client.request("detailsView")["data"]["id"];
    client.send_line("quit");
    ASSERT_TRUE(client.closed_by_server());
  }
  ASSERT_TRUE(server.wait_for_log("connection " + id + " closed"));
  EXPECT_EQ(server.count_log("connection " + id + " opened from 127.0.0.1:"), 1);
  EXPECT_EQ(server.count_log("connection " + id), 2);
}

TEST(Connection, LogsEachRequestAtDebugLevel) {
  ServerProcess server("[log]\nlevel = \"debug\"\n");
  Client client(server.port());
  client.request("paramsView");
  EXPECT_TRUE(server.wait_for_log("request: paramsView"));
}

TEST(Connection, JsonLogFormatWritesOneObjectPerLine) {
  ServerProcess server("[log]\nformat = \"json\"\n");
  Client client(server.port());
  std::string id = client.request("detailsView")["data"]["id"];
  ASSERT_TRUE(server.wait_for_log("opened from"));
  std::istringstream lines(server.log());
  std::string line;
  while (std::getline(lines, line)) {
    Json parsed = Json::parse(line);
    EXPECT_TRUE(parsed.contains("time") && parsed.contains("level") && parsed.contains("message")) << line;
  }
}

}  // namespace
}  // namespace actionhost::test

namespace actionhost::test {
namespace {

// The kernel's timer kind for the server's end of a connection, from /proc/net/tcp:
// 0 none, 1 retransmit, 2 keepalive (or another timer), ...; -1 when not found.
int server_side_timer(std::uint16_t server_port, std::uint16_t client_port) {
  std::ifstream table("/proc/net/tcp");
  std::string line;
  std::getline(table, line);  // header
  while (std::getline(table, line)) {
    std::istringstream fields(line);
    std::string slot, local, remote, state, queues, timer;
    fields >> slot >> local >> remote >> state >> queues >> timer;
    auto port_of = [](const std::string& address) {
      return static_cast<std::uint16_t>(std::stoul(address.substr(address.find(':') + 1), nullptr, 16));
    };
    if (port_of(local) == server_port && port_of(remote) == client_port) {
      return std::stoi(timer.substr(0, timer.find(':')), nullptr, 16);
    }
  }
  return -1;
}

TEST(Connection, KeepaliveArmsTheKernelsKeepaliveTimer) {
  for (bool keepalive : {true, false}) {
    ServerProcess server(std::string("[socket]\nkeepalive = ") + (keepalive ? "true" : "false") + "\n");
    Client client(server.port());
    ASSERT_EQ(client.request("paramsView")["status"], "OK");  // acknowledged: nothing in flight
    // Until the client's (possibly delayed) ACK of the answer arrives, the retransmit
    // timer (1) shows instead; wait for it to clear.
    int timer = 1;
    for (auto deadline = std::chrono::steady_clock::now() + 5s;
         timer == 1 && std::chrono::steady_clock::now() < deadline;) {
      timer = server_side_timer(server.port(), client.local_port());
      if (timer == 1) std::this_thread::sleep_for(5ms);
    }
    EXPECT_EQ(timer, keepalive ? 2 : 0) << "keepalive = " << keepalive;
  }
}

}  // namespace
}  // namespace actionhost::test
