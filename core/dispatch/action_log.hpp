#pragma once
// One log line per action answered (SPEC §10, `log.actions`): the action, its version, the
// connection, how long it took, its error if any, and its params with the values of
// `log.filter_params` keys replaced by "[FILTERED]" (cut at 2 KiB). Failed actions
// (refusals before the body included) at warn, at most 200 lines a second (the lines left
// out are counted in the next one), the others at info when `log.actions = "all"`.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "util/json.hpp"

namespace actionhost {

struct ActionLogSettings {
  enum class Level { none, errors, all };
  static Level level_of(std::string_view name);  // "none", "errors", "all"

  Level level = Level::errors;
  std::vector<std::string> filter_params = {"password", "token"};

  bool wants(bool failed) const { return level == Level::all || (failed && level == Level::errors); }
};

// `params` with the value of every key listed in `keys`, at any depth, replaced by "[FILTERED]".
Json filter_params(const Json& params, const std::vector<std::string>& keys);

struct ActionLogLine {
  std::string_view connection_id;
  std::string_view action;  // as the client named it when the action is unknown
  int version = 0;          // 0: unknown
  std::chrono::nanoseconds took{};
  std::string_view error;                               // empty: answered with its response
  const Json* params = nullptr;                         // null: see params_absent
  std::string_view params_absent = "not yet prepared";  // said instead (the call timed out during its hooks)
};

// Writes `line` if `settings` wants it.
void log_action(const ActionLogSettings& settings, const ActionLogLine& line);

}  // namespace actionhost
