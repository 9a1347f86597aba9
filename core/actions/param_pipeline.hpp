#pragma once
// The params part of SPEC §4.4's action pipeline, from a request's params to the JSON text
// the action's plugin receives:
//   param scrubbing → per input, in declared order: default, formatter, validator, required.
// Every Problem's message is the answer's (without the "Error: " prefix).

#include <optional>
#include <string>
#include <string_view>

#include "actions/action.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

// The apiVersion param as a version number: an integer, or a string of digits. nullopt
// when absent; -1 when present but not a version (it matches no action).
std::optional<int> requested_version(const Json& params);

// The params an action runs with, as JSON text: either the text the caller gave (which it
// keeps alive until the action has started) or a rewritten copy.
class PreparedParams {
 public:
  static PreparedParams as_given(std::string_view text) { return PreparedParams(text, std::nullopt); }
  static PreparedParams rewritten(std::string text) { return PreparedParams({}, std::move(text)); }

  std::string_view text() const { return rewritten_ ? std::string_view(*rewritten_) : given_; }

 private:
  PreparedParams(std::string_view given, std::optional<std::string> rewritten)
      : given_(given), rewritten_(std::move(rewritten)) {}

  std::string_view given_;
  std::optional<std::string> rewritten_;
};

// Runs the pipeline. `params_text`, when given, is `params` already serialized (the sticky
// params): it is handed on as it is when the pipeline leaves the params unchanged, so that
// repeated calls with unchanged params are not serialized again.
Result<PreparedParams> prepare_params(const Action& action, const Json& params, const std::string* params_text,
                                      bool scrub);

}  // namespace actionhost
