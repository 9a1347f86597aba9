#include "protocol/answers.hpp"

namespace actionhost::answers {
namespace {

void add_tag(Json& answer, const AnswerTag& tag) {
  answer["messageCount"] = tag.message_count;
  if (tag.message_id) answer["messageId"] = *tag.message_id;
}

}  // namespace

std::string text(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

std::string line(const Json& object) { return text(object) + "\r\n"; }

std::string welcome(std::string_view message, std::string_view default_room) {
  Json answer = {{"welcome", message}};
  if (!default_room.empty()) answer["room"] = default_room;
  answer["context"] = "api";
  return line(answer);
}

std::string goodbye() { return line({{"status", "Bye!"}, {"context", "api"}}); }

std::string too_many_connections() {
  return line({{"error", "too many connections"}, {"context", "api"}});
}

std::string verb_ok(const Json& data, const AnswerTag& tag) {
  Json answer = {{"status", "OK"}, {"context", "response"}, {"data", data}};
  add_tag(answer, tag);
  return line(answer);
}

std::string verb_error(std::string_view message, const AnswerTag& tag) {
  Json answer = {
      {"status", message}, {"error", message}, {"context", "response"}, {"data", nullptr}};
  add_tag(answer, tag);
  return line(answer);
}

std::string refused(std::string_view message, const AnswerTag& tag) {
  Json answer = {{"error", message}, {"context", "response"}};
  add_tag(answer, tag);
  return line(answer);
}

std::string action_error(std::string_view message, const AnswerTag& tag) {
  Json answer = {{"error", "Error: " + std::string(message)}, {"context", "response"}};
  add_tag(answer, tag);
  return line(answer);
}

std::string say(std::string_view room, std::string_view message, const Json& from,
                std::int64_t sent_at) {
  return line({{"message", message},
               {"room", room},
               {"from", from},
               {"context", "user"},
               {"sentAt", sent_at}});
}

}  // namespace actionhost::answers
