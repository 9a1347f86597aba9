#include "actions/action_runner.hpp"

#include <algorithm>
#include <charconv>
#include <memory>
#include <spdlog/spdlog.h>

#include "actions/pending_action.hpp"
#include "util/string_sink.hpp"

namespace actionhost {
namespace {

// The apiVersion param as a version number: an integer, or a string of digits.
// nullopt when absent; -1 when present but not a version (it matches no action).
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

bool is_missing(const Json* value) {
  return !value || value->is_null() || (value->is_string() && value->get_ref<const std::string&>().empty());
}

// Calls a plugin's formatter or validator over a value; returns the status and fills `out`
// with the new value's JSON (formatter) or the error message.
template <class Fn>
ah_status call_input_hook(Fn hook, void* user, const Json& value, std::string& out) {
  std::string text = answers::text(value);
  try {
    return hook(user, {text.data(), text.size()}, append_to_string, &out);
  } catch (...) {
    out = "the param's formatter or validator threw an exception";
    return AH_ERR_INTERNAL;
  }
}

// An input's validator, then its required check, over its value (null when absent).
std::string check_input(const ActionInput& input, const Json* value) {
  if (value && input.validate) {
    std::string message;
    if (call_input_hook(input.validate, input.validate_user, *value, message) != AH_OK) {
      return message.empty() ? input.name + " is not valid" : message;
    }
  }
  if (input.required && is_missing(value)) return input.name + " is a required parameter for this action";
  return {};
}

// Applies the action's inputs to `params` in declared order; returns the first error or "".
std::string prepare_params(const Action& action, Json& params) {
  for (const ActionInput& input : action.inputs) {
    auto it = params.find(input.name);
    if (it == params.end() && input.default_value) {
      params[input.name] = *input.default_value;
      it = params.find(input.name);
    }
    if (it != params.end() && input.format) {
      std::string out;
      if (call_input_hook(input.format, input.format_user, *it, out) != AH_OK) return out;
      try {
        *it = Json::parse(out);
      } catch (const Json::exception&) {
        return "the formatter of " + input.name + " did not return JSON";
      }
    }
    if (std::string error = check_input(input, it == params.end() ? nullptr : &*it); !error.empty()) {
      return error;
    }
  }
  return {};
}

// Only checks the inputs, for params that no scrubbing, default or formatter changes.
std::string check_params(const Action& action, const Json& params) {
  for (const ActionInput& input : action.inputs) {
    auto it = params.find(input.name);
    if (std::string error = check_input(input, it == params.end() ? nullptr : &*it); !error.empty()) {
      return error;
    }
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

void refuse(Services& services, Peer& origin, std::string_view message, const AnswerTag& tag) {
  ++services.actions_served;
  origin.deliver(share_bytes(answers::action_error(message, tag)));
}

}  // namespace

void run_action(Services& services, Connection& connection, Peer& origin, std::string_view name,
                const Json& params, const std::string* params_text, AnswerTag tag) {
  ++connection.total_actions;
  if (services.shutting_down.load(std::memory_order_relaxed)) {
    return refuse(services, origin, "the server is shutting down", tag);
  }
  if (connection.pending_actions >= static_cast<std::uint64_t>(services.config.server.simultaneous_actions)) {
    return refuse(services, origin, "you have too many pending requests", tag);
  }
  auto actions = services.actions.current();
  auto action = actions->find(name, requested_version(params));
  if (!action) return refuse(services, origin, "unknown action or invalid apiVersion", tag);

  const bool scrub = !services.config.server.disable_param_scrubbing;
  std::string prepared_text;  // when the params had to change
  std::string_view text;
  if (!pipeline_changes(*action, params, scrub)) {
    if (std::string error = check_params(*action, params); !error.empty()) {
      return refuse(services, origin, error, tag);
    }
    if (!params_text) prepared_text = answers::text(params);
    text = params_text ? std::string_view(*params_text) : std::string_view(prepared_text);
  } else {
    Json prepared = params;
    if (scrub) {
      for (auto it = prepared.begin(); it != prepared.end();) {
        it = kept_by_scrubbing(*action, it.key()) ? std::next(it) : prepared.erase(it);
      }
    }
    if (std::string error = prepare_params(*action, prepared); !error.empty()) {
      return refuse(services, origin, error, tag);
    }
    prepared_text = answers::text(prepared);
    text = prepared_text;
  }

  ++connection.pending_actions;
  spdlog::debug("connection {} runs {} v{}", connection.id, action->name, action->version);
  auto pending = std::make_shared<PendingAction>(services, std::move(action),
                                                 origin.shared_from_this(), std::move(tag));
  pending->start(text);
}

}  // namespace actionhost
