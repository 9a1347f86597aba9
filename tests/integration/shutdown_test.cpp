// SPEC §2: SIGINT and SIGTERM close every client with the goodbye line and exit 0.

#include <gtest/gtest.h>

#include <signal.h>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

class Shutdown : public ::testing::TestWithParam<int> {};

TEST_P(Shutdown, SaysGoodbyeToEveryClientAndExitsZero) {
  ServerProcess server;
  Client first(server.port());
  Client second(server.port());
  ASSERT_EQ(first.request("paramsView")["status"], "OK");
  ASSERT_EQ(second.request("paramsView")["status"], "OK");
  std::thread stopper([&] { EXPECT_EQ(server.stop(GetParam()), 0) << server.log(); });
  for (Client* client : {&first, &second}) {
    EXPECT_EQ(client->read_line(), R"({"status":"Bye!","context":"api"})");
    EXPECT_TRUE(client->closed_by_server());
  }
  stopper.join();
}

INSTANTIATE_TEST_SUITE_P(Signals, Shutdown, ::testing::Values(SIGINT, SIGTERM),
                         [](const auto& info) { return info.param == SIGINT ? "SIGINT" : "SIGTERM"; });

TEST(ShutdownIdle, ExitsPromptlyWithNoClients) {
  ServerProcess server;
  EXPECT_EQ(server.stop(SIGTERM, 5s), 0);
}

}  // namespace
}  // namespace actionhost::test
