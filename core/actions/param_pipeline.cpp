#include "actions/param_pipeline.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <type_traits>

#include "actions/action_set.hpp"
#include "crashes/running_plugin.hpp"
#include "protocol/answers.hpp"
#include "protocol/json_request.hpp"
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

// Converts a value to the input's declared type, in place: socket params are always text.
Result<> convert_type(const ActionInput& input, Json& value) {
  auto wrong = [&] { return Problem::invalid(input.name + " should be a " + type_name(input.type)); };
  const std::string* text = value.is_string() ? &value.get_ref<const std::string&>() : nullptr;
  switch (input.type) {
    case AH_TYPE_ANY:
      return {};
    case AH_TYPE_STRING:
      if (value.is_number() || value.is_boolean()) value = value.dump();
      return value.is_string() ? Result<>{} : wrong();
    case AH_TYPE_INTEGER: {
      if (value.is_number_integer()) return {};
      if (value.is_number_float()) {
        const double d = value.get<double>();
        if (std::trunc(d) != d || std::abs(d) > 9.0e15) return wrong();
        value = static_cast<std::int64_t>(d);
        return {};
      }
      if (!text) return wrong();
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), n);
      if (ec != std::errc() || end != text->data() + text->size()) return wrong();
      value = n;
      return {};
    }
    case AH_TYPE_NUMBER: {
      if (value.is_number()) return {};
      if (!text) return wrong();
      double d = 0;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), d);
      if (ec != std::errc() || end != text->data() + text->size() || !std::isfinite(d)) return wrong();
      value = d;
      return {};
    }
    case AH_TYPE_BOOLEAN:
      if (value.is_boolean()) return {};
      if (text && (*text == "true" || *text == "false")) {
        value = *text == "true";
        return {};
      }
      return wrong();
    case AH_TYPE_OBJECT:
    case AH_TYPE_ARRAY: {
      const bool want_object = input.type == AH_TYPE_OBJECT;
      if (text && !nests_deeper_than(*text, kMaxJsonDepth)) {
        Json parsed = Json::parse(*text, nullptr, false);
        if (!parsed.is_discarded()) value = std::move(parsed);
      }
      return (want_object ? value.is_object() : value.is_array()) ? Result<>{} : wrong();
    }
  }
  return {};
}

bool needs_conversion(const ActionInput& input, const Json& value) {
  switch (input.type) {
    case AH_TYPE_ANY:
      return false;
    case AH_TYPE_STRING:
      return !value.is_string();
    case AH_TYPE_INTEGER:
      return !value.is_number_integer();
    case AH_TYPE_NUMBER:
      return !value.is_number();
    case AH_TYPE_BOOLEAN:
      return !value.is_boolean();
    case AH_TYPE_OBJECT:
      return !value.is_object();
    case AH_TYPE_ARRAY:
      return !value.is_array();
  }
  return false;
}

// Applies the action's inputs to `params` in declared order (default, type, formatter,
// validator); then, as actionhero does, a missing required param wins over any other error.
// Given const params, only checks them (they need no default, conversion or formatter).
template <class Params>
Result<> apply_inputs(const Action& action, Params& params) {
  constexpr bool change = !std::is_const_v<Params>;
  std::optional<Problem> first_error;
  for (const ActionInput& input : action.inputs) {
    auto it = params.find(input.name);
    if constexpr (change) {
      if (it == params.end() && input.default_value) {
        params[input.name] = *input.default_value;
        it = params.find(input.name);
      }
    }
    if (it == params.end() || is_missing(&*it)) {
      if (input.required) return Problem::invalid(input.name + " is a required parameter for this action");
      continue;
    }
    if (first_error) continue;
    if constexpr (change) {
      if (auto converted = convert_type(input, *it); !converted) {
        first_error = std::move(converted).problem();
        continue;
      }
      if (input.format) {
        std::string out;
        if (auto formatted = call_input_hook(action.crash_site, input.format, input.format_user, *it, out);
            !formatted) {
          first_error = std::move(formatted).problem();
          continue;
        }
        Json parsed = Json::parse(out, nullptr, false);
        if (parsed.is_discarded()) {
          first_error = Problem::invalid("the formatter of " + input.name + " did not return JSON");
          continue;
        }
        *it = std::move(parsed);
      }
    }
    if (input.validate) {
      std::string message;
      if (auto valid = call_input_hook(action.crash_site, input.validate, input.validate_user, *it, message);
          !valid) {
        const std::string& text = valid.problem().message;
        first_error = Problem::invalid(text.empty() ? input.name + " is not valid" : text);
      }
    }
  }
  if (first_error) return std::move(*first_error);
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
    if (input.type != AH_TYPE_ANY) {
      auto it = params.find(input.name);
      if (it != params.end() && !is_missing(&*it) && needs_conversion(input, *it)) return true;
    }
  }
  if (!scrub) return false;
  // Plain iterators: items() builds a proxy (with a string) per element, per request.
  for (auto it = params.begin(); it != params.end(); ++it) {
    if (!kept_by_scrubbing(action, it.key())) return true;
  }
  return false;
}

}  // namespace

const char* type_name(ah_type type) {
  switch (type) {
    case AH_TYPE_STRING:
      return "string";
    case AH_TYPE_INTEGER:
      return "integer";
    case AH_TYPE_NUMBER:
      return "number";
    case AH_TYPE_BOOLEAN:
      return "boolean";
    case AH_TYPE_OBJECT:
      return "object";
    case AH_TYPE_ARRAY:
      return "array";
    case AH_TYPE_ANY:
      break;
  }
  return "any";
}

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
    if (auto checked = apply_inputs(action, params); !checked) return std::move(checked).problem();
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
