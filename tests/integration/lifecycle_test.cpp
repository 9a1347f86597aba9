// A plugin cannot take the server down through a reload (SPEC §5.2): its library is opened
// and closed on the plugin manager's thread only, never on a thread running its code.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

// Distinct shadow copies of plugin file `stem`.so mapped into the process.
std::set<std::string> mapped_copies(pid_t pid, const std::string& stem) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::set<std::string> copies;
  for (std::string line; std::getline(maps, line);) {
    auto at = line.find("actionhost-plugins-");
    if (at != std::string::npos && line.find("/" + stem + ".", at) != std::string::npos) {
      copies.insert(line.substr(line.find('/')));
    }
  }
  return copies;
}

// The reproduction of issue 10: requests answered from a plugin's own thread after its file
// was replaced. The answer drops the last reference to the old library on that thread.
class LateAnswerAcrossASwap : public ::testing::TestWithParam<int> {};

TEST_P(LateAnswerAcrossASwap, TheServerKeepsServingAndTheOldLibraryCloses) {
  const int timeout_ms = GetParam();  // 0: none, so the late answers are the answers
  PluginDir plugins;
  plugins.add("random_number").install("late_answer", "late_answer");
  ServerProcess server(plugins.config() +
                       "debounce_ms = 20\n[actions]\ntimeout_ms = " + std::to_string(timeout_ms) + "\n");

  constexpr int kClients = 4, kEach = 5;  // 20 requests pending across the swap
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.push_back(std::make_unique<Client>(server.port()));
    for (int i = 0; i < kEach; ++i) {
      clients.back()->send_line(R"({"action":"lateAnswer","params":{"delay":1500}})");
    }
    // Answered before the late ones: every one of them has started.
    ASSERT_EQ(clients.back()->request("detailsView")["data"]["pendingActions"], kEach);
  }
  ASSERT_EQ(mapped_copies(server.pid(), "late_answer").size(), 1u);

  plugins.install("late_answer", "late_answer");
  ASSERT_TRUE(server.wait_for_log_count("] loaded plugin lateAnswer", 2)) << server.log();

  for (auto& client : clients) {
    for (int i = 0; i < kEach; ++i) {
      Json answer = client->read_json();
      if (timeout_ms == 0) {
        EXPECT_EQ(answer["answeredFrom"], "another thread") << answer.dump();
      } else {
        EXPECT_EQ(answer["error"], "Error: the action timed out") << answer.dump();
      }
    }
  }
  // The old version closes once its last request has been answered (late ones included).
  ASSERT_TRUE(server.wait_for_log("closed plugin lateAnswer 1.0.0")) << server.log();
  EXPECT_EQ(mapped_copies(server.pid(), "late_answer").size(), 1u);
  Client fresh(server.port());
  EXPECT_TRUE(fresh.request("randomNumber").contains("randomNumber"));
  EXPECT_EQ(fresh.request(R"({"action":"lateAnswer","params":{"delay":1}})")["delay"], 1);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

INSTANTIATE_TEST_SUITE_P(TimeoutMs, LateAnswerAcrossASwap, ::testing::Values(0, 400),
                         [](const auto& info) { return info.param == 0 ? "NoTimeout" : "WithTimeout"; });

TEST(Lifecycle, ARequestItsActionDropsIsAnsweredThatItDidNotAnswer) {
  PluginDir plugins;
  plugins.add("drops_request");
  ServerProcess server(plugins.config() + "[actions]\ntimeout_ms = 0\n");
  Client client(server.port());
  EXPECT_EQ(client.request("dropRequest")["error"], "Error: the action did not answer");
  EXPECT_EQ(client.request("throwLater")["error"], "Error: the action did not answer");
  EXPECT_TRUE(server.wait_for_log("timer callback threw: failed before answering"));
  EXPECT_EQ(client.request("detailsView")["data"]["pendingActions"], 0);  // no slot held
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

TEST(Lifecycle, TimersRepeatAndCanBeCancelled) {
  PluginDir plugins;
  plugins.add("ticker");
  ServerProcess server(plugins.config());
  Client client(server.port());
  std::string id = client.request("startCounter")["id"];
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(client.request("paramAdd id=" + id)["status"], "OK");
  EXPECT_EQ(client.request("cancelTimer")["cancelled"], true);
  EXPECT_EQ(client.request("cancelTimer")["cancelled"], false);  // no longer pending
  // The plugin's own timers keep ticking, every 20 ms: both counters grow.
  const Json before = client.request("ticks");
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  Json now = before;
  while ((now["every"] < before["every"].get<int>() + 3 || now["after"] < before["after"].get<int>() + 3) &&
         std::chrono::steady_clock::now() < deadline) {
    now = client.request("ticks");
  }
  EXPECT_GE(now["every"], before["every"].get<int>() + 3) << now.dump();
  EXPECT_GE(now["after"], before["after"].get<int>() + 3) << now.dump();
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

TEST(Lifecycle, AVersionWhoseTimersReArmThemselvesClosesWhenReplacedAndWhenDeleted) {
  PluginDir plugins;
  plugins.install("ticker", "ticker");
  ServerProcess server(plugins.config() + "debounce_ms = 20\n");
  ASSERT_EQ(mapped_copies(server.pid(), "ticker").size(), 1u);

  plugins.install("ticker", "ticker");
  ASSERT_TRUE(server.wait_for_log_count("] loaded plugin ticker", 2)) << server.log();
  ASSERT_TRUE(server.wait_for_log_count("closed plugin ticker 1.0.0", 1)) << server.log();
  EXPECT_EQ(mapped_copies(server.pid(), "ticker").size(), 1u) << "the replaced version is still mapped";
  Client client(server.port());
  EXPECT_TRUE(client.request("ticks").contains("every"));

  plugins.remove("ticker");
  ASSERT_TRUE(server.wait_for_log("unloaded plugin ticker")) << server.log();
  ASSERT_TRUE(server.wait_for_log_count("closed plugin ticker 1.0.0", 2)) << server.log();
  EXPECT_TRUE(mapped_copies(server.pid(), "ticker").empty()) << "the deleted version is still mapped";
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

TEST(Lifecycle, AVersionStillRunningCodePastItsDeadlineIsWaitedForAndLogged) {
  // blockingUntil holds a worker thread in the plugin's code until the test creates the
  // release file; the timeout answers the client at 200 ms, and the replaced version's
  // deadline is 200 + 1000 ms after it was replaced.
  PluginDir plugins;
  plugins.install("blocking", "blocking");
  ServerProcess server(plugins.config() + "debounce_ms = 20\n[actions]\ntimeout_ms = 200\n");
  TempDir scratch;
  const std::string release = scratch.path() + "/release";
  Client client(server.port());
  client.send_line(Json{{"action", "blockingUntil"}, {"params", {{"path", release}}}}.dump());
  ASSERT_EQ(client.request("detailsView")["data"]["pendingActions"], 1);
  plugins.install("blocking", "blocking");
  ASSERT_TRUE(server.wait_for_log_count("] loaded plugin blocking", 2)) << server.log();
  EXPECT_EQ(client.read_json()["error"], "Error: the action timed out");
  ASSERT_TRUE(server.wait_for_log("plugin blocking 1.0.0 from blocking.so is still open 1200 ms after it was "
                                  "replaced: a server thread is still running its code"))
      << server.log();
  EXPECT_EQ(server.count_log("closed plugin blocking 1.0.0"), 0);  // never under a running thread
  EXPECT_EQ(mapped_copies(server.pid(), "blocking").size(), 2u);
  scratch.write("release", "");
  ASSERT_TRUE(server.wait_for_log("closed plugin blocking 1.0.0")) << server.log();
  EXPECT_EQ(mapped_copies(server.pid(), "blocking").size(), 1u);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

}  // namespace
}  // namespace actionhost::test
