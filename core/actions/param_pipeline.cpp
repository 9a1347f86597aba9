#include "actions/param_pipeline.hpp"

#include <algorithm>
#include <charconv>

#include "actions/action_set.hpp"
#include "crashes/running_plugin.hpp"
#include "protocol/answers.hpp"
#include "util/string_sink.hpp"

namespace actionhost {
namespace {

bool is_missing(const Json* value) {
  return !value || value->is_null() || (value->is_string() && value->get_ref<const std::string&>().empty());
}

// Calls a plugin's formatter or validator over a value. On success, `out` holds the new
// value's JSON (formatter); otherwise the Problem's message is the plugin's (maybe empty).
template <class Fn>
Result<> call_input_hook(std::uint32_t site, Fn hook, void* user, const Json& value, std::string& out) {
  std::string text = answers::text(value);
  try {
    crash::RunningPlugin running(site);
    if (hook(user, {text.data(), text.size()}, append_to_string, &out) == AH_OK) return {};
    return Problem::invalid(out);
  } catch (...) {
    return Problem::internal("the param's formatter or validator threw an exception");
  }
}

// An input's validator, then its required check, over its value (null when absent).
Result<> check_input(std::uint32_t site, const ActionInput& input, const Json* value) {
  if (value && input.validate) {
    std::string unused;
    if (auto valid = call_input_hook(site, input.validate, input.validate_user, *value, unused); !valid) {
      const std::string& message = valid.problem().message;
      return Problem::invalid(message.empty() ? input.name + " is not valid" : message);
    }
  }
  if (input.required && is_missing(value)) {
    return Problem::invalid(input.name + " is a required parameter for this action");
  }
  return {};
}

// Applies the action's inputs to `params` in declared order.
Result<> apply_inputs(const Action& action, Json& params) {
  for (const ActionInput& input : action.inputs) {
    auto it = params.find(input.name);
    if (it == params.end() && input.default_value) {
      params[input.name] = *input.default_value;
      it = params.find(input.name);
    }
    if (it != params.end() && input.format) {
      std::string out;
      if (auto formatted = call_input_hook(action.crash_site, input.format, input.format_user, *it, out);
          !formatted) {
        return formatted;
      }
      try {
        *it = Json::parse(out);
      } catch (const Json::exception&) {
        return Problem::invalid("the formatter of " + input.name + " did not return JSON");
      }
    }
    if (auto checked = check_input(action.crash_site, input, it == params.end() ? nullptr : &*it); !checked)
      return checked;
  }
  return {};
}

// Only checks the inputs, for params that no scrubbing, default or formatter changes.
Result<> check_inputs(const Action& action, const Json& params) {
  for (const ActionInput& input : action.inputs) {
    auto it = params.find(input.name);
    if (auto checked = check_input(action.crash_site, input, it == params.end() ? nullptr : &*it); !checked)
      return checked;
  }
  return {};
}

// True when scrubbing keeps `key` for this action: a global param or one of its inputs.
bool kept_by_scrubbing(const Action& action, std::string_view key) {
  return ActionSet::is_global_param(key) ||
         std::any_of(action.inputs.begin(), action.inputs.end(),
                     [&](const ActionInput& input) { return input.name == key; });
}

// True when scrubbing, a default or a formatter would change these params.
bool pipeline_changes(const Action& action, const Json& params, bool scrub) {
  for (const ActionInput& input : action.inputs) {
    if (input.format && params.contains(input.name)) return true;
    if (input.default_value && !params.contains(input.name)) return true;
  }
  if (!scrub) return false;
  return std::any_of(params.items().begin(), params.items().end(),
                     [&](const auto& item) { return !kept_by_scrubbing(action, item.key()); });
}

}  // namespace

std::optional<int> requested_version(const Json& params) {
  auto it = params.find("apiVersion");
  if (it == params.end() || it->is_null()) return std::nullopt;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    const auto& text = it->get_ref<const std::string&>();
    int version = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), version);
    if (ec == std::errc() && end == text.data() + text.size()) return version;
  }
  return -1;
}

Result<PreparedParams> prepare_params(const Action& action, const Json& params, const std::string* params_text,
                                      bool scrub) {
  if (!pipeline_changes(action, params, scrub)) {
    if (auto checked = check_inputs(action, params); !checked) return std::move(checked).problem();
    if (params_text) return PreparedParams::as_given(*params_text);
    return PreparedParams::rewritten(answers::text(params));
  }
  Json prepared = params;
  if (scrub) {
    for (auto it = prepared.begin(); it != prepared.end();) {
      it = kept_by_scrubbing(action, it.key()) ? std::next(it) : prepared.erase(it);
    }
  }
  if (auto applied = apply_inputs(action, prepared); !applied) return std::move(applied).problem();
  return PreparedParams::rewritten(answers::text(prepared));
}

}  // namespace actionhost
