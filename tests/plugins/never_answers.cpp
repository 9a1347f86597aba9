// never_answers: an action that never answers, for actions.timeout_ms. It keeps the request
// handles it was given and answers them all when unloaded, so nothing leaks.
#include <actionhost/sdk.hpp>

#include <mutex>
#include <vector>

using actionhost::sdk::json;

namespace {
std::mutex held_mutex;
std::vector<actionhost::sdk::Request> held;
}  // namespace

ACTIONHOST_PLUGIN("neverAnswers", "1.0.0") {
  plugin.action({
      .name = "neverAnswers",
      .run_async =
          [](const json&, actionhost::sdk::Request request) {
            std::lock_guard lock(held_mutex);
            held.push_back(request);
          },
  });
  plugin.action({
      .name = "releaseHeld",
      .description = "answers every held request now (they timed out already)",
      .run =
          [](const json&) {
            std::lock_guard lock(held_mutex);
            int released = 0;
            for (auto& request : held) {
              request.fail("released");  // already answered by the timeout: dropped by the server
              ++released;
            }
            held.clear();
            return json{{"released", released}};
          },
  });
}
