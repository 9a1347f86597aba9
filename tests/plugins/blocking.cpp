// blocking: sleeps on the worker pool; reports when it started and ended.
#include <actionhost/sdk.hpp>

#include <chrono>
#include <thread>

using actionhost::sdk::json;
using actionhost::sdk::now_ms;

ACTIONHOST_PLUGIN("blocking", "1.0.0") {
  plugin.action({
      .name = "blockingSleep",
      .inputs = {{.name = "ms", .default_value = 300}},
      .blocking = true,
      .run =
          [](const json& params) {
            const std::int64_t started = now_ms();
            std::this_thread::sleep_for(std::chrono::milliseconds(params["ms"].get<int>()));
            return json{{"startedAt", started}, {"endedAt", now_ms()}};
          },
  });
}
