#include "actions/pending_action.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "protocol/json_check.hpp"

namespace actionhost {
namespace {

// The answer's fields the server writes itself, whatever the plugin's response says.
const std::initializer_list<std::string_view> kServerFields = {"context", "messageCount", "messageId"};

}  // namespace

PendingAction::PendingAction(Services& services, std::shared_ptr<const Action> action,
                             std::shared_ptr<Peer> origin, AnswerTag tag)
    : services_(services), action_(std::move(action)), origin_(std::move(origin)), tag_(std::move(tag)) {}

void PendingAction::start(std::string_view params_text) {
  auto self = shared_from_this();  // alive across the call, whatever the plugin does
  plugin_hold_ = self;
  ++services_.actions_in_flight;
  if (const auto ms = services_.config.actions.timeout_ms; ms > 0) {
    timeout_.emplace(services_.io, std::chrono::milliseconds(ms));
    timeout_->async_wait([self](const boost::system::error_code& ec) {
      if (ec || !self->claim_answer()) return;
      spdlog::warn("action {} v{} did not answer within {} ms (actions.timeout_ms)", self->action_->name,
                   self->action_->version, self->services_.config.actions.timeout_ms);
      self->answer_client(answers::action_error("the action timed out", self->tag_));
    });
  }
  if (action_->blocking) {
    boost::asio::post(services_.workers, [self, text = std::string(params_text)] { self->run(text); });
  } else {
    run(params_text);
  }
}

void PendingAction::run(std::string_view params_text) {
  try {
    action_->run(action_->user, handle(), {params_text.data(), params_text.size()});
  } catch (...) {
    // A plugin that lets an exception out of its C entry point; the SDK never does.
    fail("the action threw an exception");
  }
}

ah_status PendingAction::respond(std::string_view response_json) {
  auto hold = std::move(plugin_hold_);  // released when this call returns
  if (!claim_answer()) {
    spdlog::warn("action {} v{} answered after its timeout; the answer was dropped", action_->name,
                 action_->version);
    return AH_ERR_ALREADY_ANSWERED;
  }
  // The usual case: a valid object, copied into the answer without being parsed.
  if (check_object(response_json, kServerFields) == ObjectCheck::spliceable) {
    answer_client(answers::action_response(response_json, tag_));
    return AH_OK;
  }
  Json response;
  try {
    response = Json::parse(response_json);
  } catch (const Json::exception&) {
  }
  if (!response.is_object()) {
    answer_client(answers::action_error("the action's response is not a JSON object", tag_));
    return AH_ERR_INVALID;
  }
  for (std::string_view key : kServerFields) response.erase(std::string(key));
  response["context"] = "response";
  response["messageCount"] = tag_.message_count;
  if (tag_.message_id) response["messageId"] = *tag_.message_id;
  answer_client(answers::line(response));
  return AH_OK;
}

ah_status PendingAction::fail(std::string_view message) {
  auto hold = std::move(plugin_hold_);
  if (!claim_answer()) {
    spdlog::warn("action {} v{} failed after its timeout ({}); dropped", action_->name, action_->version,
                 message);
    return AH_ERR_ALREADY_ANSWERED;
  }
  answer_client(answers::action_error(message, tag_));
  return AH_OK;
}

void PendingAction::answer_client(std::string bytes) {
  ++services_.actions_served;
  --services_.actions_in_flight;
  origin_->complete_action(share_bytes(std::move(bytes)));
  if (timeout_) {
    // The timer belongs to the io_context's threads; cancel it there, not from the plugin's.
    boost::asio::post(services_.io, [self = shared_from_this()] { self->timeout_->cancel(); });
  }
}

}  // namespace actionhost
