#include "protocol/request_handler.hpp"

#include <spdlog/spdlog.h>

#include "actions/action_runner.hpp"
#include "files/public_files.hpp"
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
  AnswerTag tag = next_tag(connection_.params.json());
  answer(answers::refused("request line too long: the limit is " +
                              std::to_string(services_.config.socket.max_line_bytes) +
                              " bytes (socket.max_line_bytes); the line was discarded",
                          tag));
}

RequestHandler::After RequestHandler::handle_line(std::string_view line) {
  spdlog::debug("connection {} request: {}", connection_.id, line.substr(0, 200));
  if (!is_valid_utf8(line)) {
    AnswerTag tag = next_tag(connection_.params.json());
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
  if (first.word == "file") {
    send_file(first.rest);
    return After::carry_on;
  }
  connection_.params.set("action", first.word);
  AnswerTag tag = next_tag(connection_.params.json());
  run_action(services_, connection_, self_, first.word, connection_.params.json(),
             &connection_.params.text(), std::move(tag));
  return After::carry_on;
}

RequestHandler::After RequestHandler::handle_verb_line(std::string_view verb_word,
                                                       std::string_view args) {
  AnswerTag tag = next_tag(connection_.params.json());
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
  // The request's own messageId, else the sticky one: clients such as actionhero-node-client
  // set messageId with paramAdd and then send JSON requests without one.
  bool own_id = request.ok() && request.params.contains("messageId");
  AnswerTag tag = next_tag(own_id ? request.params : connection_.params.json());
  if (!request.ok()) {
    answer(answers::refused(request.error, tag));
    return;
  }
  run_action(services_, connection_, self_, request.action, request.params, nullptr, std::move(tag));
}

void RequestHandler::send_file(std::string_view path) {
  AnswerTag tag = next_tag(connection_.params.json());
  if (path.empty()) {
    answer(answers::refused("file is a required param to send a file", tag));
    return;
  }
  PublicFile file = read_public_file(services_.config.files.public_dir, path,
                                     services_.config.socket.max_output_bytes);
  switch (file.status) {
    case PublicFile::Status::ok:
      answer(std::move(file.bytes));
      break;
    case PublicFile::Status::not_found:
      answer(answers::refused("That file is not found (" + std::string(path) + ")", tag));
      break;
    case PublicFile::Status::too_large:
      answer(answers::refused("That file is too large to send (" + std::string(path) +
                                  "): it is over socket.max_output_bytes",
                              tag));
      break;
  }
}

void RequestHandler::leave_all_rooms() {
  for (const auto& room : connection_.rooms) services_.rooms.leave(room, connection_.id);
  connection_.rooms.clear();
}

}  // namespace actionhost
