// Hot reload (SPEC §5): a changed plugin serves the next request, and no request is lost.

#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

namespace fs = std::filesystem;

// Distinct shadow copies of plugin file `stem`.so mapped into the process.
std::set<std::string> mapped_copies(pid_t pid, const std::string& stem) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::set<std::string> copies;
  std::string line;
  while (std::getline(maps, line)) {
    auto at = line.find("actionhost-plugins-");
    if (at != std::string::npos && line.find("/" + stem + ".", at) != std::string::npos) {
      copies.insert(line.substr(line.find('/')));
    }
  }
  return copies;
}

std::size_t open_files(pid_t pid) {
  std::size_t count = 0;
  for (const auto& entry : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) {
    (void)entry;
    ++count;
  }
  return count;
}

std::size_t map_count(pid_t pid) {
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  std::size_t count = 0;
  std::string line;
  while (std::getline(maps, line)) ++count;
  return count;
}

long rss_kb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (status >> key) {
    if (key == "VmRSS:") {
      long kb = 0;
      status >> kb;
      return kb;
    }
  }
  return -1;
}

class Reload : public ::testing::Test {
 protected:
  std::string config(int debounce_ms = 20) const {
    return plugins_.config() + "debounce_ms = " + std::to_string(debounce_ms) + "\n";
  }
  PluginDir plugins_;
};

TEST_F(Reload, ReplacedAHundredTimesUnderLoadWithoutALostRequest) {
  plugins_.add("status").install("reloadable_v1", "reloadable");
  ServerProcess server(config());
  std::atomic<bool> done{false};
  std::atomic<int> errors{0};
  std::atomic<long> answered{0};
  std::vector<std::thread> load;
  for (int c = 0; c < 3; ++c) {
    load.emplace_back([&] {
      Client client(server.port());
      int sent = 0;
      while (!done) {
        std::string batch;
        for (int i = 0; i < 16; ++i) batch += "whichVersion\n";
        client.send(batch);
        for (int i = 0; i < 16; ++i) {
          Json answer = client.read_json();
          ++sent;
          if (answer["messageCount"] != sent || !answer.contains("version")) ++errors;
          ++answered;
        }
      }
    });
  }
#if defined(ACTIONHOST_TSAN_BUILD)
  // Under ThreadSanitizer a swap under this load takes over a second (119 s for 100, at the
  // edge of the test's 2-minute limit): 30 swaps there, each still under three clients' load.
  constexpr int kSwaps = 30;
#else
  constexpr int kSwaps = 100;
#endif
  Client checker(server.port());
  for (int swap = 1; swap <= kSwaps; ++swap) {
    const int version = swap % 2 == 1 ? 2 : 1;
    plugins_.install("reloadable_v" + std::to_string(version), "reloadable");
    ASSERT_TRUE(server.wait_for_log_count("] loaded plugin reloadable", swap + 1)) << server.log();
    // Once the swap is logged, every new request runs on the new version.
    ASSERT_EQ(checker.request("whichVersion")["version"], version) << "swap " << swap;
  }
  done = true;
  for (auto& thread : load) thread.join();
  EXPECT_EQ(errors, 0);
  EXPECT_GT(answered, 0);
  EXPECT_EQ(server.count_log("refused"), 0);
  EXPECT_EQ(checker.request("status")["reloads"], kSwaps);
}

TEST_F(Reload, ARequestRunningOnTheOldVersionFinishesOnItAndThenItIsUnmapped) {
  plugins_.install("reloadable_v1", "reloadable");
  ServerProcess server(config());
  TempDir scratch;
  Client slow(server.port());
  // Held in v1's code until the test creates the release file, however slow the reload is.
  slow.send_line(
      Json{{"action", "heldWhichVersion"}, {"params", {{"path", scratch.path() + "/release"}}}}.dump());
  ASSERT_EQ(slow.request("detailsView")["data"]["pendingActions"], 1);
  ASSERT_EQ(slow.request("whichVersion")["version"], 1);
  EXPECT_EQ(mapped_copies(server.pid(), "reloadable").size(), 1u);

  plugins_.install("reloadable_v2", "reloadable");
  ASSERT_TRUE(server.wait_for_log_count("] loaded plugin reloadable", 2));
  Client fresh(server.port());
  EXPECT_EQ(fresh.request("whichVersion")["version"], 2);
  EXPECT_EQ(mapped_copies(server.pid(), "reloadable").size(), 2u);  // v1 still runs a request
  EXPECT_EQ(server.count_log("closed plugin reloadable 1.0.0"), 0);

  scratch.write("release", "");
  Json held = slow.read_json();
  EXPECT_EQ(held["version"], 1);
  EXPECT_EQ(held["released"], true);
  EXPECT_EQ(held["messageCount"], 1);
  ASSERT_TRUE(server.wait_for_log("closed plugin reloadable 1.0.0"));
  EXPECT_EQ(mapped_copies(server.pid(), "reloadable").size(), 1u) << "v1 is still mapped";
}

TEST_F(Reload, BadFilesAreRefusedAndThePreviousVersionKeepsServing) {
  plugins_.add("random_number").add("status").install("reloadable_v1", "reloadable");
  ServerProcess server(config());
  Client client(server.port());
  const std::string refused = "plugin " + plugins_.path() + "/reloadable.so refused: ";

  plugins_.write("reloadable.so", "garbage, not a library");
  ASSERT_TRUE(server.wait_for_log(refused + "is not a loadable shared library"));
  EXPECT_EQ(client.request("whichVersion")["version"], 1);

  std::ifstream v2(ACTIONHOST_TEST_PLUGIN_DIR "/reloadable_v2.so", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(v2)), std::istreambuf_iterator<char>());
  plugins_.write("reloadable.so", bytes.substr(0, bytes.size() / 2));  // truncated
  ASSERT_TRUE(server.wait_for_log_count(refused, 2));
  EXPECT_EQ(client.request("whichVersion")["version"], 1);

  plugins_.install("wrong_abi", "reloadable");
  ASSERT_TRUE(server.wait_for_log(refused + "was built for plugin ABI version 999"));
  plugins_.install("duplicate_action", "reloadable");
  ASSERT_TRUE(
      server.wait_for_log(refused + "action randomNumber version 1 is already served by random_number.so"));
  plugins_.install("refuses_load", "reloadable");
  ASSERT_TRUE(server.wait_for_log(refused + "refused to load"));
  EXPECT_EQ(client.request("whichVersion")["version"], 1);
  EXPECT_TRUE(client.request("randomNumber")["randomNumber"].is_number_float());

  plugins_.install("reloadable_v2", "reloadable");  // a later good write loads normally
  ASSERT_TRUE(server.wait_for_log_count("] loaded plugin reloadable 2.0.0", 1));
  EXPECT_EQ(client.request("whichVersion")["version"], 2);
  Json status = client.request("status");
  EXPECT_EQ(status["reloads"], 1);
  EXPECT_EQ(status["reloadsRefused"], 5);
}

TEST_F(Reload, AFileWrittenSlowlyInPlaceLoadsOnceWhenComplete) {
  ServerProcess server(config());
  std::ifstream v2(ACTIONHOST_TEST_PLUGIN_DIR "/reloadable_v2.so", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(v2)), std::istreambuf_iterator<char>());
  {
    std::ofstream out(plugins_.path() + "/reloadable.so", std::ios::binary);
    const std::size_t chunk = bytes.size() / 4 + 1;
    for (std::size_t at = 0; at < bytes.size(); at += chunk) {
      out.write(bytes.data() + at, static_cast<std::streamsize>(std::min(chunk, bytes.size() - at)));
      out.flush();
      std::this_thread::sleep_for(60ms);  // a slow writer, longer than the debounce
    }
  }
  ASSERT_TRUE(server.wait_for_log("] loaded plugin reloadable 2.0.0"));
  Client client(server.port());
  EXPECT_EQ(client.request("whichVersion")["version"], 2);
  EXPECT_EQ(server.count_log("refused"), 0);
  EXPECT_EQ(server.count_log("] loaded plugin reloadable"), 1);
}

TEST_F(Reload, ADeletedPluginStopsServingAndItsRunningRequestsFinish) {
  plugins_.install("reloadable_v1", "reloadable");
  ServerProcess server(config());
  TempDir scratch;
  Client client(server.port());
  client.send_line(
      Json{{"action", "heldWhichVersion"}, {"params", {{"path", scratch.path() + "/release"}}}}.dump());
  ASSERT_EQ(client.request("detailsView")["data"]["pendingActions"], 1);
  ASSERT_EQ(client.request("whichVersion")["version"], 1);
  ASSERT_TRUE(client.request("documentation")["data"].contains("whichVersion"));
  plugins_.remove("reloadable");
  ASSERT_TRUE(server.wait_for_log("unloaded plugin reloadable 1.0.0"));
  Client other(server.port());
  EXPECT_EQ(other.request("whichVersion")["error"], "Error: unknown action or invalid apiVersion");
  EXPECT_FALSE(other.request("documentation")["data"].contains("whichVersion"));
  EXPECT_EQ(other.request("paramAdd path=x")["error"], "param path is not an input of any action");
  EXPECT_EQ(server.count_log("closed plugin reloadable 1.0.0"), 0);  // a request still runs on it
  scratch.write("release", "");
  EXPECT_EQ(client.read_json()["version"], 1);  // the held request, answered by the unloaded version
  EXPECT_TRUE(server.wait_for_log("closed plugin reloadable 1.0.0"));
}

TEST_F(Reload, SighupRescansTheFolder) {
  ServerProcess server(plugins_.config() + "watch = false\n");
  Client client(server.port());
  plugins_.install("reloadable_v1", "reloadable");
  EXPECT_EQ(client.request("whichVersion")["error"], "Error: unknown action or invalid apiVersion");
  kill(server.pid(), SIGHUP);
  ASSERT_TRUE(server.wait_for_log("] loaded plugin reloadable 1.0.0"));
  EXPECT_EQ(client.request("whichVersion")["version"], 1);
  plugins_.remove("reloadable");
  kill(server.pid(), SIGHUP);
  ASSERT_TRUE(server.wait_for_log("unloaded plugin reloadable"));
  EXPECT_EQ(client.request("whichVersion")["error"], "Error: unknown action or invalid apiVersion");
}

TEST_F(Reload, FiveHundredLoadUnloadCyclesLeakNeitherFilesNorMemory) {
  ServerProcess server(config(0));
  auto cycle = [&](int n) {
    plugins_.install("reloadable_v1", "cycled");
    ASSERT_TRUE(server.wait_for_log_count("] loaded plugin reloadable", n))
        << "cycle " << n << "\n"
        << server.log().substr(server.log().size() > 3000 ? server.log().size() - 3000 : 0);
    plugins_.remove("cycled");
    ASSERT_TRUE(server.wait_for_log_count("closed plugin reloadable", n)) << "cycle " << n;
    ASSERT_TRUE(mapped_copies(server.pid(), "cycled").empty()) << "closed but still mapped, cycle " << n;
  };
  for (int n = 1; n <= 50; ++n) cycle(n);
  const auto files = open_files(server.pid());
  const auto maps = map_count(server.pid());
  const long rss = rss_kb(server.pid());
#if defined(ACTIONHOST_SANITIZED) || defined(ACTIONHOST_TSAN_BUILD)
  // ASan keeps freed memory in quarantine and maps shadow memory as it goes (TSan its shadow
  // and its history), so RSS and the mapping count say nothing there; LeakSanitizer checks
  // for leaks at exit instead. Fewer cycles: each runs several times slower (150 took 52 s
  // under ASan; under TSan 150 took 59 s alone and past 2 minutes beside another test, 100
  // took 106 s there).
#if defined(ACTIONHOST_TSAN_BUILD)
  constexpr int kCycles = 60;
#else
  constexpr int kCycles = 150;
#endif
  constexpr bool kMeasureMemory = false;
#else
  constexpr int kCycles = 500;
  constexpr bool kMeasureMemory = true;
#endif
  for (int n = 51; n <= kCycles; ++n) {
    cycle(n);
    if (HasFatalFailure()) return;
  }
  EXPECT_EQ(open_files(server.pid()), files);
  if (kMeasureMemory) {
    EXPECT_LE(map_count(server.pid()), maps + 4);
    EXPECT_LT(rss_kb(server.pid()) - rss, 16 * 1024) << "RSS grew from " << rss << " kB";
  }
  EXPECT_TRUE(mapped_copies(server.pid(), "cycled").empty());
}

}  // namespace
}  // namespace actionhost::test
