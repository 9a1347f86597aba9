// ticker: timers that keep going by themselves — a repeating one (sdk::every) and one that
// re-arms itself (sdk::after from its own callback). Replacing or deleting the file must
// still close this version (SPEC §5.2): its timers are cancelled once it serves nothing.
#include <actionhost/sdk.hpp>

#include <atomic>
#include <chrono>

using actionhost::sdk::json;

namespace {
std::atomic<int> every_ticks{0};
std::atomic<int> after_ticks{0};

void rearm() {
  actionhost::sdk::after(std::chrono::milliseconds(20), [] {
    ++after_ticks;
    rearm();
  });
}
}  // namespace

ACTIONHOST_PLUGIN("ticker", "1.0.0") {
  plugin.on_load([] {
    actionhost::sdk::every(std::chrono::milliseconds(20), [] { ++every_ticks; });
    rearm();
  });
  plugin.action({
      .name = "ticks",
      .run =
          [](const json&) {
            return json{{"every", every_ticks.load()}, {"after", after_ticks.load()}};
          },
  });
  plugin.action({
      .name = "cancelTimer",
      .inputs = {{.name = "id", .required = true}},
      .run =
          [](const json& params) {
            return json{{"cancelled", actionhost::sdk::cancel(std::stoull(params["id"].get<std::string>()))}};
          },
  });
  plugin.action({
      .name = "startCounter",
      .description = "a repeating timer this action starts; answers its id",
      .run =
          [](const json&) {
            static std::atomic<int> count{0};
            auto id = actionhost::sdk::every(std::chrono::milliseconds(10), [] { ++count; });
            return json{{"id", id ? std::to_string(*id) : ""}};
          },
  });
}
