#pragma once
// One action call in flight: the ActionCall (ah_request) a plugin answers (SPEC §4.4, §5).
//
// Exactly one answer reaches the client: the plugin's, or the timeout's if
// actions.timeout_ms passes first (the plugin's late answer is then dropped and logged).
// The object lives until the plugin has answered (its handle stays valid until then, even
// after a timeout), and keeps the action, and so its library, loaded until then.
// respond() and fail() may be called from any thread.

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "actions/action.hpp"
#include "actions/action_call.hpp"
#include "connections/peer.hpp"
#include "dispatch/action_runner.hpp"
#include "protocol/answers.hpp"

namespace actionhost {

class PendingAction final : public ActionCall, public std::enable_shared_from_this<PendingAction> {
 public:
  PendingAction(ActionRunner& runner, std::shared_ptr<const Action> action, std::shared_ptr<Peer> origin,
                AnswerTag tag);

  // Runs the action with its prepared params (JSON text), on this thread or on the worker pool.
  void start(std::string_view params_text);

  Result<> respond(std::string_view response_json) override;
  Result<> fail(std::string_view message) override;
  const std::string& connection_id() const override { return origin_->peer_id(); }

 private:
  void run(const Action& action, std::string_view params_text);
  // True for the first answer to the client (the plugin's or the timeout's).
  bool claim_answer() { return !answered_.exchange(true); }
  void answer_client(std::string bytes);

  ActionRunner& runner_;
  std::shared_ptr<const Action> action_;  // until answered by the timeout: then its version may close
  const std::string name_;
  const int version_;
  std::shared_ptr<Peer> origin_;
  AnswerTag tag_;
  std::atomic<bool> answered_{false};
  std::shared_ptr<PendingAction> plugin_hold_;  // set while the plugin owes an answer
  std::optional<boost::asio::steady_timer> timeout_;
};

}  // namespace actionhost
