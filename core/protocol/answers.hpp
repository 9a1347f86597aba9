#pragma once
// Every line the server writes (SPEC §4): one JSON object, keys in the SPEC's order,
// then "\r\n". Text that is not valid UTF-8 is replaced (U+FFFD), never thrown on.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.hpp"

namespace actionhost {

// What every answer to a request carries after its own fields.
struct AnswerTag {
  std::uint64_t message_count = 0;
  std::optional<Json> message_id;  // the request's params' messageId, when there is one
};

namespace answers {

std::string welcome(std::string_view message, std::string_view default_room);  // "" → no room
std::string goodbye();
std::string too_many_connections();
std::string too_many_connections_from_address();

std::string verb_ok(const Json& data, const AnswerTag& tag);
std::string verb_error(std::string_view message, const AnswerTag& tag);

// A line refused before it was interpreted (too long, bad JSON, bad UTF-8): no prefix.
std::string refused(std::string_view message, const AnswerTag& tag);

// An action that failed before or while running: "Error: " + message.
std::string action_error(std::string_view message, const AnswerTag& tag);

// An action's answer from its response object's text, copied as it is, with the tag added
// after its own fields. Only for text that check_object() found spliceable.
std::string action_response(std::string_view object_text, const AnswerTag& tag);

// A chat message as room members receive it; `from` is the sender's id, or 0 for the server.
std::string say(std::string_view room, std::string_view message, const Json& from, std::int64_t sent_at);

// A message a plugin sends to one connection: {"message","from":0,"context":"user","sentAt"}.
std::string direct_message(std::string_view message, std::int64_t sent_at);

// Serializes a value as JSON text, invalid UTF-8 replaced; the form JSON crosses the plugin ABI in.
std::string text(const Json& value);
// text() of one object plus the line end. Exposed for the modules that build their own.
std::string line(const Json& object);

}  // namespace answers
}  // namespace actionhost
