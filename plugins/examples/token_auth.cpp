// token_auth: protects actions behind a login, with its settings from the server's config:
//
//   [plugins.config.tokenAuth]
//   token = "s3cret"                 # required: without it the plugin refuses to load
//   protect = ["cacheTest", "status"]  # the actions that need a login
//
// `login token=...` marks the connection (connection data, never sent to the client); a
// before hook on the protected actions denies the others with "not authenticated".
#include <actionhost/sdk.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace sdk = actionhost::sdk;
using sdk::json;

ACTIONHOST_PLUGIN("tokenAuth", "1.0.0") {
  plugin.on_load([&plugin] {
    const json& settings = sdk::settings();
    if (!settings.contains("token") || !settings["token"].is_string() ||
        settings["token"].get<std::string>().empty()) {
      throw std::runtime_error(
          "plugins.config.tokenAuth.token is required: set it to the token clients log in with");
    }
    std::vector<std::string> protect = settings.value("protect", std::vector<std::string>{});
    // No protected action: nothing to guard (an empty list would mean every action).
    if (protect.empty()) return;
    plugin.before(
        [](sdk::BeforeAction& request) {
          if (request.connection().data("authenticated") != true) throw sdk::Deny("not authenticated");
        },
        {.actions = protect});
  });

  plugin.action({
      .name = "login",
      .description = "logs the connection in with the token from the server's config",
      .output_example = {{"authenticated", true}},
      .inputs = {{.name = "token", .required = true, .type = sdk::Type::string}},
      .run_with_connection =
          [](const json& params, const sdk::Connection& connection) {
            if (params["token"] != sdk::settings()["token"]) throw std::runtime_error("wrong token");
            connection.set_data("authenticated", true);
            return json{{"authenticated", true}};
          },
  });
}
