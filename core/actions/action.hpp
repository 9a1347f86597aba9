#pragma once
// One action as the server serves it: the validated copy of a plugin's ah_action_def, plus
// the plugin its code lives in, kept loaded for as long as this object exists.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <actionhost/abi.h>

#include "actions/hook.hpp"
#include "actions/plugin_origin.hpp"
#include "util/json.hpp"

namespace actionhost {

struct ActionInput {
  std::string name;
  bool required = false;
  ah_type type = AH_TYPE_ANY;  // a socket param's text is converted to it
  std::optional<Json> default_value;
  ah_format_fn format = nullptr;
  void* format_user = nullptr;
  ah_validate_fn validate = nullptr;
  void* validate_user = nullptr;
};

// "string", "integer", "number", "boolean", "object", "array" (and "any").
const char* type_name(ah_type type);

struct Action {
  std::string name;
  int version = 1;
  std::string description;
  Json output_example = Json::object();
  std::vector<ActionInput> inputs;
  bool blocking = false;
  std::int64_t timeout_ms = 0;  // its own timeout; 0: actions.timeout_ms
  // Exactly one is set: ABI version 2's run reads its params through the request handle;
  // version 1's receives them as JSON text.
  ah_run_fn run = nullptr;
  void (*run_v1)(void* user, ah_request* request, ah_str params_json) = nullptr;
  void* user = nullptr;
  std::uint32_t crash_site = 0;  // crash::register_site: names it if the server crashes in it
  std::shared_ptr<const PluginOrigin> library;
};

// A plugin as the server serves it: where it came from, and the actions and hooks it offers.
struct LoadedPlugin {
  std::shared_ptr<const PluginOrigin> library;
  std::vector<std::shared_ptr<const Action>> actions;
  std::vector<std::shared_ptr<const Hook>> hooks;
};

}  // namespace actionhost
