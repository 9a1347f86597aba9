// refuses_load: its on_load hook refuses, so none of its actions is published.
#include <actionhost/sdk.hpp>

#include <stdexcept>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("refusesLoad", "1.0.0") {
  plugin.action({.name = "neverPublished", .run = [](const json&) { return json::object(); }});
  plugin.on_load([] { throw std::runtime_error("the database it needs is not configured"); });
}
