#include <actionhost/sdk.hpp>

#include "greeting.hpp"

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("hello", "0.1.0") {
  plugin.action({
      .name = "hello",
      .description = "greets",
      .inputs = {{.name = "who", .default_value = "world"}},
      .run =
          [](const json& params) {
            return json{{"greeting", greeting::greet(params["who"].get<std::string>())}};
          },
  });
}
