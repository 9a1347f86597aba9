#pragma once
// One log line per action answered (SPEC §10, `log.actions`): the action, its version, the
// connection, how long it took, its error if any, and its params with the values of
// `log.filter_params` keys replaced by "[FILTERED]". Failed actions (refusals before the
// body included) at warn, the others at info when `log.actions = "all"`.

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
  std::string_view error;        // empty: answered with its response
  const Json* params = nullptr;  // null: not known yet (the call timed out before they were prepared)
};

// Writes `line` if `settings` wants it.
void log_action(const ActionLogSettings& settings, const ActionLogLine& line);

}  // namespace actionhost
