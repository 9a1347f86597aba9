// drops_request: actions that lose their Request without answering it, which the SDK turns
// into "Error: the action did not answer" (SPEC §5.2: every request is answered once).
#include <actionhost/sdk.hpp>

#include <chrono>
#include <stdexcept>

using actionhost::sdk::json;
using actionhost::sdk::Request;

ACTIONHOST_PLUGIN("dropsRequest", "1.0.0") {
  plugin.action({
      .name = "dropRequest",
      .description = "returns without answering or keeping its Request",
      .run_async = [](const json&, Request) {},
  });
  plugin.action({
      .name = "throwLater",
      .description = "answers from a timer callback that throws first",
      .run_async =
          [](const json&, Request request) {
            actionhost::sdk::after(std::chrono::milliseconds(10), [request] {
              throw std::runtime_error("failed before answering");
              request.respond({{"unreachable", true}});
            });
          },
  });
}
