// noop_before: an action `before` hook on every action that does nothing, to measure what a
// hook costs per request (scripts/bench hooks).
#include <actionhost/sdk.hpp>

ACTIONHOST_PLUGIN("noopBefore", "1.0.0") {
  plugin.before([](actionhost::sdk::BeforeAction&) {});
}
