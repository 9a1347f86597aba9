// reloadable: built twice, as reloadable_v1.so and reloadable_v2.so (RELOADABLE_VERSION), so
// that tests can replace one with the other and see which one answers.
//   whichVersion      answers the version at once.
//   heldWhichVersion  answers it once the file `path` exists (a test releases it by creating
//                     the file, so it waits on a condition, not a clock); gives up after 60 s.
#include <actionhost/sdk.hpp>

#include "wait_for_file.hpp"

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
      .name = "heldWhichVersion",
      .inputs = {{.name = "path", .required = true, .type = actionhost::sdk::Type::string}},
      .blocking = true,
      .run =
          [](const json& params) {
            const bool released = actionhost::test_plugins::wait_for_file(params["path"].get<std::string>());
            return json{{"version", RELOADABLE_VERSION}, {"released", released}};
          },
  });
}
