#pragma once
// One action call in flight: the ActionCall (ah_request) a plugin answers (SPEC §4.4, §5).
//
// Before it runs, the action `before` hooks that apply to it (SPEC §5.4), in order: each may
// change the params, deny, or finish later (from any thread; the request then carries on on
// the server's first I/O thread). Then the param pipeline, then the action's body. Its
// answer goes through the `after` hooks, then to the client.
//
// Exactly one answer reaches the client: the plugin's, or the timeout's if the action's
// timeout (its own, else actions.timeout_ms) passes first (the plugin's late answer is then
// dropped and logged). The object lives until the plugin has answered (its handle stays
// valid until then, even after a timeout), and keeps the action, and so its library,
// loaded until it is answered or timed out.

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/steady_timer.hpp>

#include "actions/action.hpp"
#include "actions/action_call.hpp"
#include "actions/hook_call.hpp"
#include "connections/peer.hpp"
#include "dispatch/action_runner.hpp"
#include "protocol/answers.hpp"

namespace actionhost {

class PendingAction final : public ActionCall, public std::enable_shared_from_this<PendingAction> {
 public:
  // `after`: the action after hooks that apply to it (often none).
  // `started`: when the request reached the runner, for its duration.
  PendingAction(ActionRunner& runner, std::shared_ptr<const Action> action, std::shared_ptr<Peer> origin,
                AnswerTag tag, HookList after, std::chrono::steady_clock::time_point started);
  ~PendingAction();

  // Runs the action with its prepared params (JSON text), on this thread or on the worker pool.
  void start(std::string_view params_text);
  // Runs the `before` hooks over `params` first, then the pipeline, then the action.
  // `params` (and `params_text`, its text when given) need only last this call.
  void start_with_hooks(HookList before, const Json& params, const std::string* params_text);

  Result<> respond(std::string_view response_json) override;
  Result<> fail(std::string_view message) override;
  ResponseWriter* begin_response() override;
  ResponseWriter* writer() override { return writer_ ? &*writer_ : nullptr; }
  Result<> end_response() override;
  Peer& connection() const override { return *origin_; }
  std::string_view params_text() const override { return params_text_; }
  const Json& params() override;

 private:
  class BeforeCall;

  // Counts the call in flight and works out its deadline (its own timeout, else
  // actions.timeout_ms).
  void begin(const Action& action);
  // Starts the timer that answers at the deadline, unless the call was answered already.
  void arm_timeout();
  // Answers "the action timed out" (the timer's job, or an answer that comes too late).
  void time_out();
  // True when the deadline passed with no timer armed: the action ran past it on its thread.
  bool past_deadline_unarmed();
  // Runs the before hooks from the next one; returns when they are done or one finishes later.
  void run_before_hooks();
  void before_finished(bool allow, std::string message);
  void run_action(std::shared_ptr<const Action> action);
  void run_on_this_thread(const Action& action);
  // The plugin's first answer takes the hold; a later one finds it gone.
  std::shared_ptr<PendingAction> release_plugin();
  // The answer, through the after hooks when there are any.
  Result<> answer(std::optional<std::string_view> response_json, std::optional<std::string_view> error,
                  bool response_checked);
  void answer_after_hooks(const HookList& after, Json response, std::optional<std::string> error);
  // True for the first answer to the client (the plugin's, a hook's or the timeout's).
  bool claim_answer() { return !answered_.exchange(true); }
  // Sends the one answer, counts it and logs it (log.actions); `error` empty: a response.
  // `timed_out`: called by the timeout, on a thread that may not touch before_.
  void answer_client(std::string bytes, RequestCounters::Outcome outcome, std::string_view error = {},
                     bool timed_out = false);
  void answer_error(std::string_view message,
                    RequestCounters::Outcome outcome = RequestCounters::Outcome::error);

  ActionRunner& runner_;
  // A shared_ptr read and replaced from several threads, under a lock of its own (GCC 12's
  // std::atomic<std::shared_ptr> reads the pointer in a way ThreadSanitizer reports).
  template <class T>
  class Shared {
   public:
    explicit Shared(std::shared_ptr<T> value) : value_(std::move(value)) {}
    std::shared_ptr<T> load() const {
      std::lock_guard lock(mutex_);
      return value_;
    }
    void store(std::shared_ptr<T> value) {
      {
        std::lock_guard lock(mutex_);
        value_.swap(value);
      }  // the old value is released outside the lock
    }

   private:
    mutable std::mutex mutex_;
    std::shared_ptr<T> value_;
  };

  // Until answered by the timeout: then its version may close. Read by the threads that run
  // the action and its hooks, reset by the timeout's.
  Shared<const Action> action_;
  const std::string name_;
  const int version_;
  std::shared_ptr<Peer> origin_;
  AnswerTag tag_;
  // The after hooks that apply (null: none); dropped by the timeout, so that they no longer
  // keep their plugins loaded. Read by the answering thread.
  Shared<const HookList> after_;
  std::atomic<bool> answered_{false};
  std::atomic<bool> plugin_answered_{false};
  std::shared_ptr<PendingAction> plugin_hold_;  // set while the plugin owes an answer

  // The timeout. An action that answers on the thread that runs it (most do) never gets a
  // timer: it is armed only once run() returns unanswered (or before a blocking action or
  // the before hooks run), as arming and cancelling one costs a lock on the main thread's
  // timer queue and a wake-up of that thread per request. An answer that comes past the
  // deadline with no timer armed is taken for the timeout's, as the timer would have.
  std::int64_t timeout_ms_ = 0;  // 0: none
  bool own_timeout_ = false;     // the action's own, not actions.timeout_ms
  std::mutex timer_mutex_;       // arming against cancelling, which may be on another thread
  bool timer_closed_ = false;    // answered: no timer is armed any more
  std::optional<boost::asio::steady_timer> timeout_;

  const std::chrono::steady_clock::time_point started_;
  // What the action runs with. Set before the timeout is armed, or, after before hooks, under
  // params_mutex_, which the timeout's log line takes to read it.
  std::string params_text_;
  std::mutex params_mutex_;
  std::once_flag params_parsed_;
  Json params_tree_;
  std::optional<ResponseWriter> writer_;

  std::shared_ptr<BeforeCall> before_;  // while the before hooks run
};

}  // namespace actionhost
