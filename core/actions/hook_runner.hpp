#pragma once
// Calls plugins' hooks (SPEC §5.4): one at a time, in the order the ActionSet keeps them
// (priority, then plugin load order), each under the running-plugin slot so that a crash in
// it names it. A hook that throws, or answers in a way its kind does not allow, denies.

#include <string_view>

#include "actions/hook.hpp"
#include "actions/hook_call.hpp"
#include "util/result.hpp"

namespace actionhost {

// Calls one hook: its result (AH_HOOK_DENY for one that threw).
ah_hook_result call_hook(const Hook& hook, HookCall& call);

// The message a deny answers with: the hook's, or one naming the plugin.
std::string deny_message(const Hook& hook, const HookCall& call);

// A value a hook sets for a field of a known shape ("message" a string, "params" and
// "response" objects, "error" a string or null); an invalid Problem otherwise.
Result<> check_hook_field(std::string_view field, const Json& value);

// Runs every hook of `hooks` that applies to `action` (any, for hooks of other kinds), in
// order, until one denies: its message is the Problem's (invalid). AH_HOOK_LATER is not
// allowed here and denies.
Result<> run_hooks(const HookList& hooks, HookCall& call, std::string_view action = {});

}  // namespace actionhost
