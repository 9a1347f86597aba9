#pragma once
// The request side of SPEC §4.4's action pipeline, from a request to a running action:
//   shutdown → pending limit → unknown name or version → the params (actions/param_pipeline)
//   → run, on the calling thread or, for a blocking action, on the worker pool.
// Every refusal is answered here, with the "Error: " prefix; a started action answers
// through its PendingAction. One runner serves every connection; run() is called on the
// requesting connection's I/O thread.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "actions/action_registry.hpp"
#include "connections/peer.hpp"
#include "dispatch/action_log.hpp"
#include "protocol/answers.hpp"
#include "status/server_status.hpp"

namespace actionhost {

struct ActionSettings {
  std::uint64_t simultaneous_actions = 5;  // server.simultaneous_actions
  std::int64_t timeout_ms = 0;             // actions.timeout_ms; 0 = none
  bool scrub_params = true;                // !server.disable_param_scrubbing
  ActionLogSettings log;                   // log.actions, log.filter_params
};

class ActionRunner {
 public:
  // `timers` runs the actions' timeouts; `workers` the actions that declare themselves
  // blocking. Everything passed in outlives the runner and every action it starts.
  ActionRunner(ActionSettings settings, const ActionRegistry& actions, ServerStatus& status,
               boost::asio::io_context& timers, boost::asio::thread_pool& workers)
      : settings_(settings), actions_(actions), status_(status), timers_(timers), workers_(workers) {}

  enum class Outcome {
    refused,  // answered already, with an error
    started,  // pending: `origin` gets its answer through Peer::complete_action
  };

  // Runs action `name` for `origin`, which has `pending` actions in flight. `params_text`,
  // when given, is `params` already serialized (the sticky params).
  Outcome run(Peer& origin, std::uint64_t pending, std::string_view name, const Json& params,
              const std::string* params_text, AnswerTag tag);

  // Counts one action answered (version 0: an action no plugin serves).
  void count(std::string_view action, int version, RequestCounters::Outcome outcome,
             std::chrono::nanoseconds took) {
    status_.requests.answered(version > 0 ? action : RequestCounters::kUnknownAction, outcome, took);
  }
  // Whether log.actions wants a line for an action that failed (or not).
  bool logs(bool failed) const { return settings_.log.wants(failed); }
  // Logs one action answered, if log.actions wants it (after its answer is on its way).
  void log(const ActionLogLine& line) const { log_action(settings_.log, line); }
  // A request line that names no action it could run (not JSON, no action, bad UTF-8): it
  // is answered by the caller; here it is counted and logged as a refusal.
  void count_unparsed(const Peer& origin, std::string_view problem);

  // For the actions it starts.
  const ActionSettings& settings() const { return settings_; }
  ServerStatus& status() { return status_; }
  boost::asio::io_context& timers() { return timers_; }
  boost::asio::thread_pool& workers() { return workers_; }

 private:
  struct Refused {
    std::string_view action;  // the action's name, or the requested one when unknown
    int version;              // 0: unknown
    std::chrono::steady_clock::time_point started;
    const Json& params;
  };
  Outcome refuse(Peer& origin, std::string_view message, const AnswerTag& tag, const Refused& call);

  ActionSettings settings_;
  const ActionRegistry& actions_;
  ServerStatus& status_;
  boost::asio::io_context& timers_;
  boost::asio::thread_pool& workers_;
};

}  // namespace actionhost
