// A plugin that crashes the server, measured (issue 10): over 20 crashes, the time from the
// request that crashes it (a null dereference in an action) to the first answer on a new
// connection, which the supervisor's next server process gives (median, max). Before each
// crash the plugin file is written again, which lifts its quarantine.
//
//   build/tests/bench/crash_bench

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "support/client.hpp"
#include "support/server_process.hpp"

using namespace actionhost::test;
using Clock = std::chrono::steady_clock;

int main() {
  PluginDir plugins;
  plugins.add("random_number").install("crasher", "crasher");
  ServerProcess server("[server]\nsupervise = true\n" + plugins.config() +
                       "debounce_ms = 0\n[log]\nlevel = \"warn\"\n");
  std::vector<double> latencies;
  int retries = 0;
  for (int crash = 1; crash <= 20; ++crash) {
    if (crash > 1) {
      plugins.install("crasher", "crasher");  // a new file: no longer quarantined
      for (;;) {
        Client probe(server.port());
        if (probe.request("alive")["alive"] == true) break;
      }
    }
    Client victim(server.port());
    const auto start = Clock::now();
    victim.send_line("segfault");
    for (;;) {
      Client fresh(server.port());  // may land on the dying process: then it is closed, and tried again
      Json answer = fresh.first_line().is_null() ? Json() : fresh.request("randomNumber");
      if (answer.contains("randomNumber")) break;
      ++retries;
    }
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf("crash → first answer on a new connection, over %zu crashes: median %.1f ms, max %.1f ms "
              "(%d connections landed on the dying process and were retried)\n",
              latencies.size(), latencies[latencies.size() / 2], latencies.back(), retries);
  return 0;
}
