#include "protocol/answers.hpp"

#include <charconv>

#include "protocol/json_text.hpp"

namespace actionhost::answers {
namespace {

void add_tag(Json& answer, const AnswerTag& tag) {
  answer["messageCount"] = tag.message_count;
  if (tag.message_id) answer["messageId"] = *tag.message_id;
}

}  // namespace

std::string text(const Json& value) {
  std::string out;
  append_json(out, value);
  return out;
}

std::string line(const Json& object) {
  std::string out;
  out.reserve(128);
  append_json(out, object);
  out += "\r\n";
  return out;
}

std::string welcome(std::string_view message, std::string_view default_room) {
  Json answer = {{"welcome", message}};
  if (!default_room.empty()) answer["room"] = default_room;
  answer["context"] = "api";
  return line(answer);
}

std::string goodbye() { return line({{"status", "Bye!"}, {"context", "api"}}); }

std::string too_many_connections() { return line({{"error", "too many connections"}, {"context", "api"}}); }
std::string too_many_connections_from_address() {
  return line({{"error", "too many connections from your address"}, {"context", "api"}});
}

std::string verb_ok(const Json& data, const AnswerTag& tag) {
  // Written around `data`, which is not copied into an answer object first.
  std::string out = R"({"status":"OK","context":"response","data":)";
  append_json(out, data);
  out += R"(,"messageCount":)";
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, tag.message_count).ptr);
  if (tag.message_id) {
    out += R"(,"messageId":)";
    append_json(out, *tag.message_id);
  }
  out += "}\r\n";
  return out;
}

std::string verb_error(std::string_view message, const AnswerTag& tag) {
  Json answer = {{"status", message}, {"error", message}, {"context", "response"}, {"data", nullptr}};
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

std::string action_response(std::string_view object_text, const AnswerTag& tag) {
  auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!object_text.empty() && is_space(object_text.front())) object_text.remove_prefix(1);
  while (!object_text.empty() && is_space(object_text.back())) object_text.remove_suffix(1);
  object_text.remove_suffix(1);  // the closing brace; the tag goes before it
  while (!object_text.empty() && is_space(object_text.back())) object_text.remove_suffix(1);
  const bool has_fields = object_text.back() != '{';
  std::string out;
  out.reserve(object_text.size() + 64);
  out.append(object_text);
  if (has_fields) out += ',';
  out += R"("context":"response","messageCount":)";
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, tag.message_count).ptr;
  out.append(digits, end);
  if (tag.message_id) {
    out += R"(,"messageId":)";
    out += text(*tag.message_id);
  }
  out += "}\r\n";
  return out;
}

std::string say(std::string_view room, std::string_view message, const Json& from, std::int64_t sent_at) {
  return line({{"message", message}, {"room", room}, {"from", from}, {"context", "user"}, {"sentAt", sent_at}});
}

std::string direct_message(std::string_view message, std::int64_t sent_at) {
  return line({{"message", message}, {"from", 0}, {"context", "user"}, {"sentAt", sent_at}});
}

}  // namespace actionhost::answers
