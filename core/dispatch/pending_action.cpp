#include "dispatch/pending_action.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "actions/hook_runner.hpp"
#include "actions/param_pipeline.hpp"
#include "crashes/running_plugin.hpp"
#include "protocol/json_check.hpp"

namespace actionhost {
namespace {

// The answer's fields the server writes itself, whatever the plugin's response says.
const std::initializer_list<std::string_view> kServerFields = {"context", "messageCount", "messageId"};

// A parsed response as its answer line: the server's fields replaced by the tag's.
std::string tagged_line(Json response, const AnswerTag& tag) {
  for (std::string_view key : kServerFields) response.erase(std::string(key));
  response["context"] = "response";
  response["messageCount"] = tag.message_count;
  if (tag.message_id) response["messageId"] = *tag.message_id;
  return answers::line(response);
}

}  // namespace

// The `before` hooks' view of the call: the action's name and its params, which they may
// change, and the connection. While every hook answers on the calling thread the params are
// the caller's, unchanged until a hook sets them; a list with a hook that may finish later
// works on a copy from the start, since the caller's params do not outlive the call.
class PendingAction::BeforeCall final : public HookCall {
 public:
  BeforeCall(PendingAction& call, HookList hooks, const Json& params, const std::string* params_text)
      : call_(call), hooks_(std::move(hooks)), original_(&params), original_text_(params_text) {
    for (const auto& hook : hooks_) {
      if (hook->may_finish_later) {
        changed_ = params;
        original_ = nullptr;
        original_text_ = nullptr;
        may_finish_later_ = true;
        break;
      }
    }
  }

  const Json* find(std::string_view field) const override {
    if (field == "action") return &action_;
    if (field == "params") return changed_ ? &*changed_ : original_;
    return nullptr;
  }
  Result<> set(std::string_view field, Json value) override {
    if (field != "params")
      return Problem::invalid("field " + std::string(field) + " cannot be set by this hook");
    if (auto checked = check_hook_field(field, value); !checked) return checked;
    changed_ = std::move(value);
    return {};
  }
  Peer* connection() const override { return call_.origin_.get(); }
  Result<> finish(bool allow, std::string_view message) override {
    if (!waiting_.exchange(false)) return Problem::conflict("this hook call is not waiting to finish");
    // The hold taken for the wait keeps the call (and this object) alive until it carries on.
    boost::asio::post(call_.runner_.timers(), [call = std::move(hold_), allow, text = std::string(message)] {
      call->before_finished(allow, text);
    });
    return {};
  }

  PendingAction& call_;
  const Json action_{call_.name_};
  HookList hooks_;
  std::size_t next_ = 0;
  const Json* original_;              // the caller's, while every hook answers at once
  const std::string* original_text_;  // its text, when the caller has it
  std::optional<Json> changed_;       // set by a hook, or the copy for hooks that may finish later
  bool may_finish_later_ = false;     // some hook may finish later, on another thread
  std::atomic<bool> waiting_{false};  // a hook that may finish later is running or waited for
  // While waiting_: the call, kept alive for the hook's finish (whoever clears waiting_ takes it).
  std::shared_ptr<PendingAction> hold_;
};

PendingAction::PendingAction(ActionRunner& runner, std::shared_ptr<const Action> action,
                             std::shared_ptr<Peer> origin, AnswerTag tag, HookList after,
                             std::chrono::steady_clock::time_point started)
    : runner_(runner),
      action_(action),
      name_(action->name),
      version_(action->version),
      origin_(std::move(origin)),
      tag_(std::move(tag)),
      after_(after.empty() ? nullptr : std::make_shared<const HookList>(std::move(after))),
      started_(started) {}

PendingAction::~PendingAction() = default;

void PendingAction::begin(const Action& action) {
  ++runner_.status().actions_in_flight;
  const std::int64_t own = action.timeout_ms;
  own_timeout_ = own > 0;
  timeout_ms_ = own > 0 ? own : runner_.settings().timeout_ms;
}

void PendingAction::arm_timeout() {
  if (timeout_ms_ <= 0) return;
  std::lock_guard lock(timer_mutex_);
  if (timer_closed_ || timeout_) return;  // answered, or armed already
  // From when the request arrived: an action that ran for a while before returning
  // unanswered has that much less left.
  timeout_.emplace(runner_.timers(), started_ + std::chrono::milliseconds(timeout_ms_));
  timeout_->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec) self->time_out();
  });
}

void PendingAction::time_out() {
  if (!claim_answer()) return;
  const std::string why = "did not answer within " + std::to_string(timeout_ms_) + " ms (" +
                          (own_timeout_ ? "its own timeout" : "actions.timeout_ms") + ")";
  // One line says so: the action's (log.actions), or this one when those are off.
  if (!runner_.logs(true)) spdlog::warn("action {} v{} {}", name_, version_, why);
  // Not answer_error(): the before hooks, if still running, own their params; the log
  // line takes the prepared params, if any, under their lock.
  answer_client(answers::action_error("the action timed out", tag_), RequestCounters::Outcome::timeout,
                "the action timed out: it " + why, true);
  // Its version may now close (SPEC §5.2: at most the timeout + 1 s after it was
  // replaced); a late answer is still taken, and dropped, by this object.
  action_.store(nullptr);
  after_.store(nullptr);  // nor do its after hooks keep their plugins
}

bool PendingAction::past_deadline_unarmed() {
  if (timeout_ms_ <= 0 || std::chrono::steady_clock::now() - started_ < std::chrono::milliseconds(timeout_ms_))
    return false;
  std::lock_guard lock(timer_mutex_);
  return !timeout_;
}

void PendingAction::start(std::string_view params_text) {
  params_text_ = params_text;
  auto action = action_.load();  // not timed out yet: the timer is not armed
  begin(*action);
  if (action->blocking) arm_timeout();  // it waits for a worker
  run_action(std::move(action));
  if (!answered_.load()) arm_timeout();  // it answers later, or a hook does
}

void PendingAction::start_with_hooks(HookList before, const Json& params, const std::string* params_text) {
  before_ = std::make_shared<BeforeCall>(*this, std::move(before), params, params_text);
  begin(*action_.load());
  // A hook that may finish later needs the timer now (after before_ is set: the timeout's
  // thread must not see it change); hooks that all answer at once run here first, as an
  // action does, and the timer is armed only if nothing answered.
  if (before_->may_finish_later_) arm_timeout();
  run_before_hooks();
  if (!answered_.load()) arm_timeout();
}

void PendingAction::run_before_hooks() {
  auto self = shared_from_this();
  auto action = action_.load();  // keeps the action's plugin loaded while the hooks run
  // Ours while the hooks run: a hook may finish() on its thread and return, and the call may
  // carry on there and drop before_ while this loop still looks at its waiting_ flag.
  const std::shared_ptr<BeforeCall> before = before_;
  if (!action || !before) return;  // timed out meanwhile
  BeforeCall& call = *before;
  while (call.next_ < call.hooks_.size()) {
    if (answered_.load()) return;  // timed out meanwhile
    const Hook& hook = *call.hooks_[call.next_++];
    if (hook.may_finish_later) {
      call.hold_ = self;
      call.waiting_ = true;
    }
    const ah_hook_result result = call_hook(hook, call);
    if (result == AH_HOOK_LATER && hook.may_finish_later) return;  // before_finished() carries on
    if (hook.may_finish_later) {
      // It finished already (from another thread, or before returning): that finish()
      // carries on. Otherwise the wait is over before it began.
      if (!call.waiting_.exchange(false)) return;
      call.hold_.reset();
    }
    if (result == AH_HOOK_LATER) {
      before_finished(false, "a before hook of plugin " + hook.library->name() +
                                 " answered later without AH_HOOK_MAY_FINISH_LATER");
      return;
    }
    if (result != AH_HOOK_ALLOW) {
      before_finished(false, deny_message(hook, call));
      return;
    }
  }
  // Unchanged params keep the caller's text, so the pipeline's fast path applies.
  auto prepared = call.changed_
                      ? prepare_params(*action, *call.changed_, nullptr, runner_.settings().scrub_params)
                      : prepare_params(*action, *call.original_, call.original_text_,
                                       runner_.settings().scrub_params);
  if (!prepared) {
    if (claim_answer()) answer_error(prepared.problem().message, RequestCounters::Outcome::refused);
    before_.reset();
    return;
  }
  before_.reset();
  {
    std::lock_guard lock(params_mutex_);
    params_text_ = prepared->text();
  }
  run_action(std::move(action));
}

void PendingAction::before_finished(bool allow, std::string message) {
  if (!before_ || answered_.load()) return;
  if (!allow) {
    if (message.empty()) message = "denied by a before hook";
    if (claim_answer()) answer_error(message, RequestCounters::Outcome::refused);
    before_.reset();
    return;
  }
  run_before_hooks();
}

void PendingAction::run_action(std::shared_ptr<const Action> action) {
  auto self = shared_from_this();  // alive across the call, whatever the plugin does
  plugin_hold_ = self;
  if (answered_.load()) {  // timed out while its before hooks ran
    static_cast<void>(release_plugin());
    return;
  }
  if (action->blocking) {
    boost::asio::post(runner_.workers(), [self] {
      auto still = self->action_.load();
      if (!still) {  // timed out while it waited for a worker
        static_cast<void>(self->release_plugin());
        return;
      }
      self->run_on_this_thread(*still);
    });
  } else {
    run_on_this_thread(*action);
  }
}

// `action` is held by the caller: its plugin stays loaded while its code runs here.
void PendingAction::run_on_this_thread(const Action& action) {
  try {
    crash::RunningPlugin running(action.crash_site);
    if (action.run) {
      action.run(action.user, handle());
    } else {
      action.run_v1(action.user, handle(), {params_text_.data(), params_text_.size()});
    }
  } catch (...) {
    // A plugin that lets an exception out of its C entry point; the SDK never does.
    // A refusal here means it had answered already; fail() logs that.
    static_cast<void>(fail("the action threw an exception"));
  }
}

const Json& PendingAction::params() {
  std::call_once(params_parsed_, [this] {
    params_tree_ = Json::parse(params_text_, nullptr, false);
    if (!params_tree_.is_object()) params_tree_ = Json::object();
  });
  return params_tree_;
}

std::shared_ptr<PendingAction> PendingAction::release_plugin() {
  if (plugin_answered_.exchange(true)) return nullptr;
  return std::move(plugin_hold_);
}

Result<> PendingAction::respond(std::string_view response_json) {
  auto hold = release_plugin();  // released when this call returns
  if (!hold || answered_.load()) {
    spdlog::warn("action {} v{} answered {}; the answer was dropped", name_, version_,
                 hold ? "after its timeout" : "a second time");
    return Problem::conflict("the request was answered already");
  }
  return answer(response_json, std::nullopt, false);
}

Result<> PendingAction::fail(std::string_view message) {
  auto hold = release_plugin();
  if (!hold || answered_.load()) {
    spdlog::warn("action {} v{} failed {} ({}); dropped", name_, version_,
                 hold ? "after its timeout" : "after its answer", message);
    return Problem::conflict("the request was answered already");
  }
  return answer(std::nullopt, message, false);
}

ResponseWriter* PendingAction::begin_response() {
  if (plugin_answered_.load()) return nullptr;
  if (answered_.load()) {  // timed out: the plugin's answer is over, as with respond()
    static_cast<void>(release_plugin());
    return nullptr;
  }
  writer_.emplace();
  return &*writer_;
}

Result<> PendingAction::end_response() {
  if (!writer_) return Problem::invalid("no response is being written");
  ResponseWriter writer = std::move(*writer_);
  writer_.reset();
  auto hold = release_plugin();
  if (!hold || answered_.load()) return Problem::conflict("the request was answered already");
  if (writer.problem()) return answer(std::nullopt, *writer.problem(), false);
  std::string text = std::move(writer).finish();
  return answer(text, std::nullopt, true);
}

Result<> PendingAction::answer(std::optional<std::string_view> response_json,
                               std::optional<std::string_view> error, bool response_checked) {
  if (past_deadline_unarmed()) {
    time_out();
    spdlog::warn("action {} v{} answered after its timeout; the answer was dropped", name_, version_);
    return Problem::conflict("the request was answered already");
  }
  if (auto after = after_.load()) {
    Json response = nullptr;
    bool not_an_object = false;
    if (response_json) {
      response = Json::parse(*response_json, nullptr, false);
      if (!response.is_object()) {
        response = nullptr;
        error = "the action's response is not a JSON object";
        not_an_object = true;
      }
    }
    answer_after_hooks(*after, std::move(response),
                       error ? std::optional<std::string>(std::string(*error)) : std::nullopt);
    if (not_an_object) return Problem::invalid("the action's response is not a JSON object");
    return {};
  }
  if (!claim_answer()) return Problem::conflict("the request was answered already");
  if (error) {
    answer_error(*error);
    return {};
  }
  // The usual case: a valid object, copied into the answer without being parsed.
  if (response_checked || check_object(*response_json, kServerFields) == ObjectCheck::spliceable) {
    answer_client(answers::action_response(*response_json, tag_), RequestCounters::Outcome::ok);
    return {};
  }
  Json response = Json::parse(*response_json, nullptr, false);
  if (!response.is_object()) {
    answer_error("the action's response is not a JSON object");
    return Problem::invalid("the action's response is not a JSON object");
  }
  answer_client(tagged_line(std::move(response), tag_), RequestCounters::Outcome::ok);
  return {};
}

void PendingAction::answer_after_hooks(const HookList& after, Json response, std::optional<std::string> error) {
  FieldHookCall call(Json{{"action", name_},
                          {"params", params()},
                          {"response", error ? Json(nullptr) : std::move(response)},
                          {"error", error ? Json(*error) : Json(nullptr)}},
                     {"response", "error"}, origin_.get());
  if (auto allowed = run_hooks(after, call); !allowed) call.fields()["error"] = allowed.problem().message;
  if (!claim_answer()) return;
  const Json& failed = call.fields()["error"];
  if (failed.is_string()) {
    answer_error(failed.get_ref<const std::string&>());
    return;
  }
  Json& changed = call.fields()["response"];
  answer_client(tagged_line(changed.is_object() ? std::move(changed) : Json::object(), tag_),
                RequestCounters::Outcome::ok);
}

void PendingAction::answer_error(std::string_view message, RequestCounters::Outcome outcome) {
  answer_client(answers::action_error(message, tag_), outcome, message);
}

void PendingAction::answer_client(std::string bytes, RequestCounters::Outcome outcome, std::string_view error,
                                  bool timed_out) {
  const auto took = std::chrono::steady_clock::now() - started_;
  runner_.count(name_, version_, outcome, took);
  --runner_.status().actions_in_flight;
  origin_->complete_action(share_bytes(std::move(bytes)));
  {
    std::lock_guard lock(timer_mutex_);
    timer_closed_ = true;
    // Thread-safe against the main thread running it; the lock keeps it from racing the arming.
    if (timeout_) timeout_->cancel();
  }
  // The line, once the answer is on its way.
  if (!runner_.logs(!error.empty())) return;
  std::optional<Json> copy;
  const Json* params = nullptr;
  if (timed_out) {  // the hooks may still be running and setting params_text_
    std::lock_guard lock(params_mutex_);
    if (!params_text_.empty()) copy = Json::parse(params_text_, nullptr, false);
  } else if (before_) {  // refused by a before hook, or its params: on this thread
    if (const Json* changed = before_->find("params")) copy = *changed;
  } else {
    params = &this->params();  // parsed once, shared with the action's own reads
  }
  if (copy) params = &*copy;
  runner_.log({origin_->peer_id(), name_, version_, took, error, params});
}

}  // namespace actionhost
