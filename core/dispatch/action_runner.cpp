#include "dispatch/action_runner.hpp"

#include <memory>

#include <spdlog/spdlog.h>

#include "actions/param_pipeline.hpp"
#include "dispatch/pending_action.hpp"

namespace actionhost {

ActionRunner::Outcome ActionRunner::refuse(Peer& origin, std::string_view message, const AnswerTag& tag) {
  ++status_.actions_served;
  origin.deliver(share_bytes(answers::action_error(message, tag)));
  return Outcome::refused;
}

ActionRunner::Outcome ActionRunner::run(Peer& origin, std::uint64_t pending, std::string_view name,
                                        const Json& params, const std::string* params_text, AnswerTag tag) {
  if (status_.shutting_down.load(std::memory_order_relaxed)) {
    return refuse(origin, "the server is shutting down", tag);
  }
  if (pending >= settings_.simultaneous_actions)
    return refuse(origin, "you have too many pending requests", tag);
  auto action = actions_.current()->find(name, requested_version(params));
  if (!action) return refuse(origin, "unknown action or invalid apiVersion", tag);

  auto prepared = prepare_params(*action, params, params_text, settings_.scrub_params);
  if (!prepared) return refuse(origin, prepared.problem().message, tag);

  spdlog::debug("connection {} runs {} v{}", origin.peer_id(), action->name, action->version);
  auto call = std::make_shared<PendingAction>(*this, std::move(action), origin.shared_from_this(),
                                              std::move(tag));
  call->start(prepared->text());
  return Outcome::started;
}

}  // namespace actionhost
