// duplicate_action: claims randomNumber v1, which the shipped random_number.so serves.
#include <actionhost/sdk.hpp>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("duplicateAction", "1.0.0") {
  plugin.action({.name = "randomNumber", .run = [](const json&) { return json{{"randomNumber", 4}}; }});
}
