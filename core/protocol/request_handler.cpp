#include "protocol/request_handler.hpp"

#include <spdlog/spdlog.h>

#include "protocol/json_request.hpp"
#include "protocol/utf8.hpp"
#include "protocol/words.hpp"
#include "util/clock.hpp"
#include "verbs/verbs.hpp"

namespace actionhost {
namespace {

std::optional<Json> message_id_of(const Json& params) {
  auto it = params.find("messageId");
  if (it == params.end()) return std::nullopt;
  return *it;
}

}  // namespace

void RequestHandler::greet() {
  const std::string& room = services_.config.chat.default_room;
  if (!room.empty() &&
      services_.rooms.join(room, self_.shared_from_this(), now_ms()) ==
          RoomRegistry::JoinResult::joined) {
    connection_.rooms.push_back(room);
  }
  answer(answers::welcome(services_.config.server.welcome_message, room));
}

AnswerTag RequestHandler::next_tag(const Json& params) {
  return {++connection_.message_count, message_id_of(params)};
}

void RequestHandler::answer(std::string bytes) { self_.deliver(share_bytes(std::move(bytes))); }

void RequestHandler::refuse_overlong_line() {
  AnswerTag tag = next_tag(connection_.params);
  answer(answers::refused("request line too long: the limit is " +
                              std::to_string(services_.config.socket.max_line_bytes) +
                              " bytes (socket.max_line_bytes); the line was discarded",
                          tag));
}

RequestHandler::After RequestHandler::handle_line(std::string_view line) {
  spdlog::debug("connection {} request: {}", connection_.id, line.substr(0, 200));
  if (!is_valid_utf8(line)) {
    AnswerTag tag = next_tag(connection_.params);
    answer(answers::refused("invalid UTF-8 in request: send text encoded as UTF-8", tag));
    return After::carry_on;
  }
  SplitWord first = split_word(line);
  if (first.word.empty()) return After::carry_on;  // only spaces: ignored like an empty line
  if (first.word.front() == '{') {
    handle_json_request(line);
    return After::carry_on;
  }
  if (find_verb(first.word)) return handle_verb_line(first.word, first.rest);
  connection_.params["action"] = first.word;
  AnswerTag tag = next_tag(connection_.params);
  run_action(first.word, connection_.params, tag);
  return After::carry_on;
}

RequestHandler::After RequestHandler::handle_verb_line(std::string_view verb_word,
                                                       std::string_view args) {
  AnswerTag tag = next_tag(connection_.params);
  VerbContext context{connection_, self_, services_.rooms, services_.actions,
                      !services_.config.server.disable_param_scrubbing};
  VerbOutcome outcome = run_verb(*find_verb(verb_word), args, context);
  switch (outcome.kind) {
    case VerbOutcome::Kind::quit:
      answer(answers::goodbye());
      return After::close;
    case VerbOutcome::Kind::error:
      answer(answers::verb_error(outcome.error, tag));
      break;
    case VerbOutcome::Kind::ok:
      answer(answers::verb_ok(outcome.data, tag));
      break;
  }
  return After::carry_on;
}

void RequestHandler::handle_json_request(std::string_view line) {
  JsonRequest request = parse_json_request(line);
  AnswerTag tag = next_tag(request.ok() ? request.params : connection_.params);
  if (!request.ok()) {
    answer(answers::refused(request.error, tag));
    return;
  }
  run_action(request.action, request.params, tag);
}

void RequestHandler::run_action(std::string_view name, const Json& /*params*/,
                                const AnswerTag& tag) {
  ++connection_.total_actions;
  if (services_.shutting_down.load(std::memory_order_relaxed)) {
    answer(answers::action_error("the server is shutting down", tag));
    return;
  }
  if (connection_.pending_actions >=
      static_cast<std::uint64_t>(services_.config.server.simultaneous_actions)) {
    answer(answers::action_error("you have too many pending requests", tag));
    return;
  }
  // No action is served until plugins are loaded (issue 3): every name is unknown.
  spdlog::debug("connection {} asked for unknown action {}", connection_.id, name);
  answer(answers::action_error("unknown action or invalid apiVersion", tag));
}

void RequestHandler::leave_all_rooms() {
  for (const auto& room : connection_.rooms) services_.rooms.leave(room, connection_.id);
  connection_.rooms.clear();
}

}  // namespace actionhost
