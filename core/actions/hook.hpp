#pragma once
// One hook a plugin registered (SPEC §5.4, abi.h's ah_hook_def): what it hooks, its
// priority, and the plugin its code lives in, kept loaded while this object exists.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <actionhost/abi.h>

#include "actions/plugin_origin.hpp"

namespace actionhost {

enum class HookKind : int {
  action_before = AH_HOOK_ACTION_BEFORE,
  action_after = AH_HOOK_ACTION_AFTER,
  connection_open = AH_HOOK_CONNECTION_OPEN,
  connection_close = AH_HOOK_CONNECTION_CLOSE,
  chat_join = AH_HOOK_CHAT_JOIN,
  chat_leave = AH_HOOK_CHAT_LEAVE,
  chat_say = AH_HOOK_CHAT_SAY,
  chat_deliver = AH_HOOK_CHAT_DELIVER,
  chat_member = AH_HOOK_CHAT_MEMBER,
};
inline constexpr int kHookKinds = AH_HOOK_CHAT_MEMBER + 1;

// The kind's name in log lines and crash reports ("before", "join", ...).
const char* hook_kind_name(HookKind kind);

struct Hook {
  HookKind kind = HookKind::action_before;
  int priority = 100;
  bool may_finish_later = false;     // AH_HOOK_MAY_FINISH_LATER
  std::vector<std::string> actions;  // action hooks: the names it applies to; empty = all
  ah_hook_fn run = nullptr;
  void* user = nullptr;
  std::uint32_t crash_site = 0;  // crash::register_site
  std::shared_ptr<const PluginOrigin> library;

  bool applies_to(std::string_view action) const {
    if (actions.empty()) return true;
    for (const auto& name : actions) {
      if (name == action) return true;
    }
    return false;
  }
};

using HookList = std::vector<std::shared_ptr<const Hook>>;

}  // namespace actionhost
