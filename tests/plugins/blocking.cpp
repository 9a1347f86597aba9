// blocking: holds a worker-pool thread in the plugin's code.
//   blockingSleep  sleeps `ms`; reports when it started and ended.
//   blockingUntil  waits until the file `path` exists (a test releases it by creating the
//                  file, so it waits on a condition rather than a clock); gives up after 60 s.
#include <actionhost/sdk.hpp>

#include <chrono>
#include <thread>

#include "wait_for_file.hpp"

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
  plugin.action({
      .name = "blockingUntil",
      .inputs = {{.name = "path", .required = true, .type = actionhost::sdk::Type::string}},
      .blocking = true,
      .run =
          [](const json& params) {
            return json{
                {"released", actionhost::test_plugins::wait_for_file(params["path"].get<std::string>())}};
          },
  });
}
