// showDocumentation: every action the server serves, by name and version.
#include <actionhost/sdk.hpp>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("showDocumentation", "1.0.0") {
  plugin.action({
      .name = "showDocumentation",
      .description = "return API documentation",
      .output_example = {{"documentation", json::object()}},
      .run =
          [](const json&) {
            return json{{"documentation", actionhost::sdk::server::documentation()}};
          },
  });
}
