#include "dispatch/action_runner.hpp"

#include <memory>

#include <spdlog/spdlog.h>

#include "actions/param_pipeline.hpp"
#include "dispatch/pending_action.hpp"

namespace actionhost {
namespace {

// The hooks of a list that apply to `action`; usually none, then nothing is copied.
HookList applicable(const HookList& hooks, std::string_view action) {
  HookList chosen;
  for (const auto& hook : hooks) {
    if (hook->applies_to(action)) chosen.push_back(hook);
  }
  return chosen;
}

}  // namespace

void ActionRunner::count_unparsed(const Peer& origin, std::string_view problem) {
  count(RequestCounters::kUnknownAction, 0, RequestCounters::Outcome::refused, {});
  log({origin.peer_id(),
       RequestCounters::kUnknownAction,
       0,
       {},
       problem,
       nullptr,
       "not read (the line is not a request)"});
}

ActionRunner::Outcome ActionRunner::refuse(Peer& origin, std::string_view message, const AnswerTag& tag,
                                           const Refused& call) {
  const auto took = std::chrono::steady_clock::now() - call.started;
  count(call.action, call.version, RequestCounters::Outcome::refused, took);
  origin.deliver(share_bytes(answers::action_error(message, tag)));
  log({origin.peer_id(), call.action, call.version, took, message, &call.params});
  return Outcome::refused;
}

ActionRunner::Outcome ActionRunner::run(Peer& origin, std::uint64_t pending, std::string_view name,
                                        const Json& params, const std::string* params_text, AnswerTag tag) {
  const auto started = std::chrono::steady_clock::now();
  auto set = actions_.current();
  auto action = set->find(name, requested_version(params));
  const Refused call{action ? std::string_view(action->name) : name, action ? action->version : 0, started,
                     params};
  if (status_.shutting_down.load(std::memory_order_relaxed)) {
    return refuse(origin, "the server is shutting down", tag, call);
  }
  if (pending >= settings_.simultaneous_actions)
    return refuse(origin, "you have too many pending requests", tag, call);
  if (!action) return refuse(origin, "unknown action or invalid apiVersion", tag, call);
  HookList before = applicable(set->hooks(HookKind::action_before), action->name);
  HookList after = applicable(set->hooks(HookKind::action_after), action->name);

  spdlog::debug("connection {} runs {} v{}", origin.peer_id(), action->name, action->version);
  if (!before.empty()) {
    auto pending_call = std::make_shared<PendingAction>(*this, std::move(action), origin.shared_from_this(),
                                                        std::move(tag), std::move(after), started);
    pending_call->start_with_hooks(std::move(before), params, params_text);
    return Outcome::started;
  }
  auto prepared = prepare_params(*action, params, params_text, settings_.scrub_params);
  if (!prepared) return refuse(origin, prepared.problem().message, tag, call);
  auto pending_call = std::make_shared<PendingAction>(*this, std::move(action), origin.shared_from_this(),
                                                      std::move(tag), std::move(after), started);
  pending_call->start(prepared->text());
  return Outcome::started;
}

}  // namespace actionhost
