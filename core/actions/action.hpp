#pragma once
// One action as the server serves it: the validated copy of a plugin's ah_action_def, plus
// the plugin its code lives in, kept loaded for as long as this object exists.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <actionhost/abi.h>

#include "actions/plugin_origin.hpp"
#include "util/json.hpp"

namespace actionhost {

struct ActionInput {
  std::string name;
  bool required = false;
  std::optional<Json> default_value;
  ah_format_fn format = nullptr;
  void* format_user = nullptr;
  ah_validate_fn validate = nullptr;
  void* validate_user = nullptr;
};

struct Action {
  std::string name;
  int version = 1;
  std::string description;
  Json output_example = Json::object();
  std::vector<ActionInput> inputs;
  bool blocking = false;
  ah_run_fn run = nullptr;
  void* user = nullptr;
  std::uint32_t crash_site = 0;  // crash::register_site: names it if the server crashes in it
  std::shared_ptr<const PluginOrigin> library;
};

// A plugin as the server serves it: where it came from, and the actions it offers.
struct LoadedPlugin {
  std::shared_ptr<const PluginOrigin> library;
  std::vector<std::shared_ptr<const Action>> actions;
};

}  // namespace actionhost
