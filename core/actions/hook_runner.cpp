#include "actions/hook_runner.hpp"

#include <spdlog/spdlog.h>

#include "crashes/running_plugin.hpp"

namespace actionhost {

const char* hook_kind_name(HookKind kind) {
  switch (kind) {
    case HookKind::action_before:
      return "before";
    case HookKind::action_after:
      return "after";
    case HookKind::connection_open:
      return "open";
    case HookKind::connection_close:
      return "close";
    case HookKind::chat_join:
      return "join";
    case HookKind::chat_leave:
      return "leave";
    case HookKind::chat_say:
      return "say";
    case HookKind::chat_deliver:
      return "deliver";
    case HookKind::chat_member:
      return "member";
  }
  return "hook";
}

ah_hook_result call_hook(const Hook& hook, HookCall& call) {
  try {
    crash::RunningPlugin running(hook.crash_site);
    return hook.run(hook.user, call.handle());
  } catch (...) {
    // A plugin that lets an exception out of its C entry point; the SDK never does.
    spdlog::error("a {} hook of plugin {} threw", hook_kind_name(hook.kind), hook.library->name());
    if (call.deny_message().empty()) call.deny_with("a hook of plugin " + hook.library->name() + " failed");
    return AH_HOOK_DENY;
  }
}

std::string deny_message(const Hook& hook, const HookCall& call) {
  if (!call.deny_message().empty()) return call.deny_message();
  return "denied by plugin " + hook.library->name();
}

Result<> run_hooks(const HookList& hooks, HookCall& call, std::string_view action) {
  for (const auto& hook : hooks) {
    if (!action.empty() && !hook->applies_to(action)) continue;
    const ah_hook_result result = call_hook(*hook, call);
    if (result == AH_HOOK_ALLOW) continue;
    if (result == AH_HOOK_LATER) {
      spdlog::error("a {} hook of plugin {} answered later, which only action before hooks may",
                    hook_kind_name(hook->kind), hook->library->name());
    }
    return Problem::invalid(deny_message(*hook, call));
  }
  return {};
}

Result<> check_hook_field(std::string_view field, const Json& value) {
  if ((field == "message" || field == "room" || field == "reason") && !value.is_string())
    return Problem::invalid(std::string(field) + " must be a string");
  if ((field == "params" || field == "response") && !value.is_object())
    return Problem::invalid(std::string(field) + " must be a JSON object");
  if (field == "error" && !value.is_string() && !value.is_null())
    return Problem::invalid("error must be a string, or null for none");
  return {};
}

Result<> FieldHookCall::set(std::string_view field, Json value) {
  if (auto checked = check_hook_field(field, value); !checked) return checked;
  if (settable_.count(field)) {
    fields_[std::string(field)] = std::move(value);
    return {};
  }
  if (open_fields_ && !fields_.contains(field)) {
    added_[std::string(field)] = std::move(value);
    return {};
  }
  return Problem::invalid("field " + std::string(field) + " cannot be set by this hook");
}

}  // namespace actionhost
