#include "dispatch/pending_action.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "crashes/running_plugin.hpp"
#include "protocol/json_check.hpp"

namespace actionhost {
namespace {

// The answer's fields the server writes itself, whatever the plugin's response says.
const std::initializer_list<std::string_view> kServerFields = {"context", "messageCount", "messageId"};

}  // namespace

PendingAction::PendingAction(ActionRunner& runner, std::shared_ptr<const Action> action,
                             std::shared_ptr<Peer> origin, AnswerTag tag)
    : runner_(runner),
      action_(std::move(action)),
      name_(action_->name),
      version_(action_->version),
      origin_(std::move(origin)),
      tag_(std::move(tag)) {}

void PendingAction::start(std::string_view params_text) {
  auto self = shared_from_this();  // alive across the call, whatever the plugin does
  auto action = action_;           // keeps its plugin loaded while its code runs here
  plugin_hold_ = self;
  ++runner_.status().actions_in_flight;
  if (const auto ms = runner_.settings().timeout_ms; ms > 0) {
    timeout_.emplace(runner_.timers(), std::chrono::milliseconds(ms));
    timeout_->async_wait([self](const boost::system::error_code& ec) {
      if (ec || !self->claim_answer()) return;
      spdlog::warn("action {} v{} did not answer within {} ms (actions.timeout_ms)", self->name_,
                   self->version_, self->runner_.settings().timeout_ms);
      self->answer_client(answers::action_error("the action timed out", self->tag_));
      // Its version may now close (SPEC §5.2: at most the timeout + 1 s after it was
      // replaced); a late answer is still taken, and dropped, by this object.
      self->action_.reset();
    });
  }
  if (action->blocking) {
    boost::asio::post(runner_.workers(),
                      [self, action, text = std::string(params_text)] { self->run(*action, text); });
  } else {
    run(*action, params_text);
  }
}

void PendingAction::run(const Action& action, std::string_view params_text) {
  try {
    crash::RunningPlugin running(action.crash_site);
    action.run(action.user, handle(), {params_text.data(), params_text.size()});
  } catch (...) {
    // A plugin that lets an exception out of its C entry point; the SDK never does.
    // A refusal here means it had answered already; fail() logs that.
    static_cast<void>(fail("the action threw an exception"));
  }
}

Result<> PendingAction::respond(std::string_view response_json) {
  auto hold = std::move(plugin_hold_);  // released when this call returns
  if (!claim_answer()) {
    spdlog::warn("action {} v{} answered after its timeout; the answer was dropped", name_, version_);
    return Problem::conflict("the request was answered already");
  }
  // The usual case: a valid object, copied into the answer without being parsed.
  if (check_object(response_json, kServerFields) == ObjectCheck::spliceable) {
    answer_client(answers::action_response(response_json, tag_));
    return {};
  }
  Json response;
  try {
    response = Json::parse(response_json);
  } catch (const Json::exception&) {
  }
  if (!response.is_object()) {
    answer_client(answers::action_error("the action's response is not a JSON object", tag_));
    return Problem::invalid("the action's response is not a JSON object");
  }
  for (std::string_view key : kServerFields) response.erase(std::string(key));
  response["context"] = "response";
  response["messageCount"] = tag_.message_count;
  if (tag_.message_id) response["messageId"] = *tag_.message_id;
  answer_client(answers::line(response));
  return {};
}

Result<> PendingAction::fail(std::string_view message) {
  auto hold = std::move(plugin_hold_);
  if (!claim_answer()) {
    spdlog::warn("action {} v{} failed after its timeout ({}); dropped", name_, version_, message);
    return Problem::conflict("the request was answered already");
  }
  answer_client(answers::action_error(message, tag_));
  return {};
}

void PendingAction::answer_client(std::string bytes) {
  ++runner_.status().actions_served;
  --runner_.status().actions_in_flight;
  origin_->complete_action(share_bytes(std::move(bytes)));
  if (timeout_) {
    // The timer belongs to the io_context's threads; cancel it there, not from the plugin's.
    boost::asio::post(runner_.timers(), [self = shared_from_this()] { self->timeout_->cancel(); });
  }
}

}  // namespace actionhost
