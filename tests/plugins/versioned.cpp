// versioned: one action in two versions, for apiVersion.
#include <actionhost/sdk.hpp>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("versioned", "2.0.0") {
  plugin.action({.name = "versioned", .version = 1, .run = [](const json&) { return json{{"version", 1}}; }});
  plugin.action({.name = "versioned", .version = 2, .run = [](const json&) { return json{{"version", 2}}; }});
}
