// reloadable: built twice, as reloadable_v1.so and reloadable_v2.so (RELOADABLE_VERSION), so
// that tests can replace one with the other and see which one answers.
#include <actionhost/sdk.hpp>

#include <chrono>

using actionhost::sdk::json;

#define STRINGIFY2(x) #x
#define STRINGIFY(x) STRINGIFY2(x)

ACTIONHOST_PLUGIN("reloadable", STRINGIFY(RELOADABLE_VERSION) ".0.0") {
  plugin.action({
      .name = "whichVersion",
      .run =
          [](const json&) {
            return json{{"version", RELOADABLE_VERSION}};
          },
  });
  plugin.action({
      .name = "slowWhichVersion",
      .inputs = {{.name = "ms", .default_value = 1000}},
      .run_async =
          [](const json& params, actionhost::sdk::Request request) {
            actionhost::sdk::after(std::chrono::milliseconds(params["ms"].get<int>()), [request] {
              request.respond({{"version", RELOADABLE_VERSION}});
            });
          },
  });
}
