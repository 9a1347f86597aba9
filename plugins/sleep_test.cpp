// sleepTest: answers after sleepDuration ms, on a host timer (no thread sleeps meanwhile).
#include <actionhost/sdk.hpp>

#include <chrono>
#include <string>

using actionhost::sdk::json;
using actionhost::sdk::now_ms;

ACTIONHOST_PLUGIN("sleepTest", "1.0.0") {
  plugin.action({
      .name = "sleepTest",
      .description = "I will sleep and then return",
      .output_example = {{"sleepStarted", 1420953571322},
                         {"sleepEnded", 1420953572327},
                         {"sleepDelta", 1005},
                         {"sleepDuration", 1000}},
      .inputs = {{
          .name = "sleepDuration",
          .required = true,
          .default_value = 1000,
          .formatter = [](const json& value) -> json {
            if (value.is_number()) return value.get<std::int64_t>();
            return std::stoll(value.get<std::string>());  // like parseInt: "250" → 250
          },
          .validator = [](const json& value) -> std::optional<std::string> {
            if (value.get<std::int64_t>() < 0) return "sleepDuration should not be negative";
            return std::nullopt;
          },
      }},
      .run_async =
          [](const json& params, actionhost::sdk::Request request) {
            const std::int64_t duration = params["sleepDuration"].get<std::int64_t>();
            const std::int64_t started = now_ms();
            actionhost::sdk::after(std::chrono::milliseconds(duration), [=] {
              const std::int64_t ended = now_ms();
              request.respond({{"sleepStarted", started},
                               {"sleepEnded", ended},
                               {"sleepDelta", ended - started},
                               {"sleepDuration", duration}});
            });
          },
  });
}
