// late_answer: answers from a thread of its own after `delay` ms. Its threads are joined in
// on_unload, before the library is closed.
#include <actionhost/sdk.hpp>

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using actionhost::sdk::json;

namespace {
std::mutex threads_mutex;
std::vector<std::thread> threads;
}  // namespace

ACTIONHOST_PLUGIN("lateAnswer", "1.0.0") {
  plugin.action({
      .name = "lateAnswer",
      .inputs = {{.name = "delay", .default_value = 100}},
      .run_async =
          [](const json& params, actionhost::sdk::Request request) {
            const int delay = params["delay"].get<int>();
            std::lock_guard lock(threads_mutex);
            threads.emplace_back([request, delay] {
              std::this_thread::sleep_for(std::chrono::milliseconds(delay));
              bool first = request.respond({{"answeredFrom", "another thread"}, {"delay", delay}});
              bool second = request.respond({{"twice", true}});  // ignored: exactly once
              if (!first || second) actionhost::sdk::log::error("exactly-once was not enforced");
            });
          },
  });
  plugin.on_unload([] {
    std::lock_guard lock(threads_mutex);
    for (auto& thread : threads) thread.join();
    threads.clear();
  });
}
