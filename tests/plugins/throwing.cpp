// throwing: actions and a formatter that throw; the server answers "Error: " + the message.
#include <actionhost/sdk.hpp>

#include <stdexcept>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("throwing", "1.0.0") {
  plugin.action({
      .name = "throwingAction",
      .run = [](const json&) -> json { throw std::runtime_error("boom"); },
  });
  plugin.action({
      .name = "throwingLater",
      .run_async = [](const json&, actionhost::sdk::Request) { throw std::logic_error("bang"); },
  });
  plugin.action({
      .name = "throwingFormatter",
      .inputs = {{.name = "x", .formatter = [](const json&) -> json { throw std::runtime_error("bad x"); }}},
      .run = [](const json&) { return json::object(); },
  });
  plugin.action({
      .name = "notAnObject",
      .run =
          [](const json&) {
            return json::array({1, 2});
          },
  });
  plugin.action({
      .name = "claimsTheTag",  // sets the fields the server writes itself
      .run =
          [](const json&) {
            return json{{"value", 1}, {"context", "mine"}, {"messageCount", 99}, {"messageId", "theirs"}};
          },
  });
}
