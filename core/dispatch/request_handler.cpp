#include "dispatch/request_handler.hpp"

#include <spdlog/spdlog.h>

#include "files/public_files.hpp"
#include "protocol/json_request.hpp"
#include "protocol/utf8.hpp"
#include "protocol/words.hpp"
#include "util/clock.hpp"
#include "util/uuid.hpp"
#include "verbs/verbs.hpp"

namespace actionhost {
namespace {

std::optional<Json> message_id_of(const Json& params) {
  auto it = params.find("messageId");
  if (it == params.end()) return std::nullopt;
  return *it;
}

}  // namespace

RequestHandler::RequestHandler(const RequestContext& context, Peer& self) : context_(context), self_(self) {
  connection_.id = make_uuid_v4();
  connection_.connected_at = now_ms();
}

void RequestHandler::set_remote(std::string ip, std::uint16_t port) {
  connection_.remote_ip = std::move(ip);
  connection_.remote_port = port;
}

void RequestHandler::greet() {
  std::string room = context_.settings.default_room;
  // The server created the room at start, so only a join hook can keep the connection out.
  if (!room.empty() && !context_.chat.join_default(self_.shared_from_this(), room)) room.clear();
  answer(answers::welcome(context_.settings.welcome_message, room));
  context_.chat.open(self_);
}

AnswerTag RequestHandler::next_tag(const Json& params) {
  return {++connection_.message_count, message_id_of(params)};
}

void RequestHandler::answer(std::string bytes) { self_.deliver(share_bytes(std::move(bytes))); }

void RequestHandler::refuse_overlong_line() {
  AnswerTag tag = next_tag(connection_.params.json());
  const std::string problem = "request line too long: the limit is " +
                              std::to_string(context_.settings.max_line_bytes) +
                              " bytes (socket.max_line_bytes); the line was discarded";
  answer(answers::refused(problem, tag));
  context_.runner.count_unparsed(self_, problem);
}

RequestHandler::After RequestHandler::handle_line(std::string_view line) {
  spdlog::debug("connection {} request: {}", connection_.id, line.substr(0, 200));
  if (!is_valid_utf8(line)) {
    AnswerTag tag = next_tag(connection_.params.json());
    answer(answers::refused("invalid UTF-8 in request: send text encoded as UTF-8", tag));
    context_.runner.count_unparsed(self_, "invalid UTF-8 in request");
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
  run_action(first.word, connection_.params.json(), &connection_.params.text(), std::move(tag));
  return After::carry_on;
}

RequestHandler::After RequestHandler::handle_verb_line(std::string_view verb_word, std::string_view args) {
  AnswerTag tag = next_tag(connection_.params.json());
  const Verb verb = *find_verb(verb_word);
  if (verb == Verb::quit) {
    answer(answers::goodbye());
    return After::close;
  }
  if (is_chat_verb(verb)) {
    run_chat_verb(verb, args, context_.chat, self_.shared_from_this(),
                  [self = self_.shared_from_this(), tag = std::move(tag)](Result<Json> data) {
                    self->deliver(share_bytes(data ? answers::verb_ok(*data, tag)
                                                   : answers::verb_error(data.problem().message, tag)));
                  });
    return After::carry_on;
  }
  VerbContext verb_context{connection_,
                           context_.chat,
                           context_.actions,
                           context_.settings.scrub_params,
                           context_.settings.max_params,
                           context_.settings.max_params_bytes};
  auto data = run_verb(verb, args, verb_context);
  answer(data ? answers::verb_ok(*data, tag) : answers::verb_error(data.problem().message, tag));
  return After::carry_on;
}

void RequestHandler::handle_json_request(std::string_view line) {
  auto request = parse_json_request(line);
  // The request's own messageId, else the sticky one: clients such as actionhero-node-client
  // set messageId with paramAdd and then send JSON requests without one.
  bool own_id = request && request->params.contains("messageId");
  AnswerTag tag = next_tag(own_id ? request->params : connection_.params.json());
  if (!request) {
    answer(answers::refused(request.problem().message, tag));
    context_.runner.count_unparsed(self_, request.problem().message);
    return;
  }
  run_action(request->action, request->params, nullptr, std::move(tag));
}

void RequestHandler::run_action(std::string_view name, const Json& params, const std::string* params_text,
                                AnswerTag tag) {
  ++connection_.total_actions;
  // Counted before it starts: an action may answer (action_answered) before run() returns.
  const std::uint64_t pending = connection_.pending_actions++;
  if (context_.runner.run(self_, pending, name, params, params_text, std::move(tag)) ==
      ActionRunner::Outcome::refused) {
    --connection_.pending_actions;
  }
}

void RequestHandler::action_answered(SharedBytes answer) {
  if (connection_.pending_actions > 0) --connection_.pending_actions;
  self_.deliver(std::move(answer));
}

void RequestHandler::send_file(std::string_view path) {
  AnswerTag tag = next_tag(connection_.params.json());
  if (path.empty()) {
    answer(answers::refused("file is a required param to send a file", tag));
    return;
  }
  auto file = read_public_file(context_.settings.public_dir, path, context_.settings.max_file_bytes);
  answer(file ? std::move(*file) : answers::refused(file.problem().message, tag));
}

void RequestHandler::close(std::string_view reason) { context_.chat.close(self_, reason); }

}  // namespace actionhost
