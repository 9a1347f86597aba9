// Hot reload, measured (issue 4):
//  1. latency: time from the rename of a new version into plugins.dir to the first answer
//     from it, over 50 reloads (median, p99), at the default debounce (100 ms) and at 0;
//  2. throughput: answers/s of whichVersion from 4 connections × 16 pipelined, with no
//     reloads and with a reload every 100 ms, side by side in one run.
//
//   build/tests/bench/reload_bench

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "support/client.hpp"
#include "support/server_process.hpp"

using namespace actionhost::test;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void reload_latency(int debounce_ms) {
  PluginDir plugins;
  plugins.install("reloadable_v1", "reloadable");
  ServerProcess server(plugins.config() + "debounce_ms = " + std::to_string(debounce_ms) +
                       "\n[log]\nlevel = \"warn\"\n");
  Client client(server.port());
  std::vector<double> latencies;
  for (int i = 1; i <= 50; ++i) {
    const int version = i % 2 == 1 ? 2 : 1;
    auto start = Clock::now();
    plugins.install("reloadable_v" + std::to_string(version), "reloadable");
    while (client.request("whichVersion")["version"] != version) {
      if (ms_since(start) > 10000) {
        std::fprintf(stderr, "reload %d never answered\n", i);
        return;
      }
    }
    latencies.push_back(ms_since(start));
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf("reload latency, debounce_ms = %3d: median %7.2f ms, p99 %7.2f ms, max %7.2f ms (50 reloads)\n",
              debounce_ms, latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100],
              latencies.back());
}

double throughput(ServerProcess& server, PluginDir& plugins, bool reloading, std::chrono::seconds window) {
  std::atomic<bool> done{false};
  std::atomic<long> answers{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < 4; ++c) {
    clients.emplace_back([&] {
      Client client(server.port());
      std::string batch;
      for (int i = 0; i < 16; ++i) batch += "whichVersion\n";
      while (!done) {
        client.send(batch);
        for (int i = 0; i < 16; ++i) client.read_json();
        answers += 16;
      }
    });
  }
  auto start = Clock::now();
  int version = 1;
  while (Clock::now() - start < window) {
    if (reloading) {
      version = 3 - version;
      plugins.install("reloadable_v" + std::to_string(version), "reloadable");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the reload rate under test
  }
  done = true;
  for (auto& thread : clients) thread.join();
  return answers / std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

int main() {
  reload_latency(100);
  reload_latency(0);

  PluginDir plugins;
  plugins.add("status").install("reloadable_v1", "reloadable");
  ServerProcess server(plugins.config() + "debounce_ms = 0\n[log]\nlevel = \"warn\"\n");
  for (int round = 0; round < 3; ++round) {
    double steady = throughput(server, plugins, false, std::chrono::seconds(3));
    double reloading = throughput(server, plugins, true, std::chrono::seconds(3));
    std::printf("round %d: %9.0f answers/s without reloads, %9.0f with a reload every 100 ms (ratio %.3f)\n",
                round + 1, steady, reloading, reloading / steady);
  }
  Client client(server.port());
  Json status = client.request("status");
  std::printf("reloads done: %s, refused: %s\n", status["reloads"].dump().c_str(),
              status["reloadsRefused"].dump().c_str());
  return 0;
}
