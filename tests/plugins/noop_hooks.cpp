// noop_hooks: an action `before` hook on every action and a chat `deliver` hook on every
// delivery, both doing nothing, to measure what hooks cost per request and per delivered
// message (scripts/bench hooks).
#include <actionhost/sdk.hpp>

ACTIONHOST_PLUGIN("noopHooks", "1.0.0") {
  plugin.before([](actionhost::sdk::BeforeAction&) {});
  plugin.on_deliver([](actionhost::sdk::Delivery&) { return true; });
}
