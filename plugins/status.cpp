// status: the server's id, version, uptime, open connections, actions served and plugins.
#include <actionhost/sdk.hpp>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("status", "1.0.0") {
  plugin.action({
      .name = "status",
      .description = "I will return some basic information about the API",
      .output_example = {{"id", "b3f1c3e2-..."},
                         {"serverVersion", "0.1.0"},
                         {"uptime", 10843},
                         {"connections", 1},
                         {"actionsServed", 12},
                         {"plugins", json::array({{{"name", "status"},
                                                   {"version", "1.0.0"},
                                                   {"file", "status.so"},
                                                   {"actions", {"status"}}}})},
                         {"reloads", 0},
                         {"reloadsRefused", 0}},
      // The fast path: the server's text, passed on without being parsed here.
      .run_fast =
          [](const actionhost::sdk::Params&, actionhost::sdk::Response& response) {
            response.object_text(actionhost::sdk::server::status_text());
          },
  });
}
