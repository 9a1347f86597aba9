#pragma once
// The messages servers exchange on the cluster's pub/sub channel, in actionhero 20's shapes
// (SPEC §9): chat, and the RPC pair do / doResponse. Building and reading them, nothing else.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.hpp"

namespace actionhost::cluster {

struct Sender {
  std::string_view server_id;
  std::string_view token;
};

// {"messageType":"chat","serverToken","serverId","message","sentAt","connection":{"id","room"}}
std::string chat_message(const Sender& sender, std::string_view room, std::string_view message,
                         const Json& from, std::int64_t sent_at);
// {"messageType":"do","serverId","serverToken","messageId","method","connectionId","args":[ID,ROOM]}
std::string do_message(const Sender& sender, std::string_view message_id, std::string_view method,
                       std::string_view connection_id, std::string_view room);
// {"messageType":"doResponse","serverId","serverToken","messageId","response":true}, or with
// "error":MESSAGE in place of the response.
std::string do_response(const Sender& sender, std::string_view message_id, const std::string* error);

// A member's value in actionhero:chatRoom:members:ROOM: {"id","joinedAt","host"}.
std::string member_value(std::string_view connection_id, std::int64_t joined_at, std::string_view host);

// What arrived, once parsed and its token checked.
struct Incoming {
  enum class Type { chat, call, response, other };
  Type type = Type::other;
  std::string server_id;
  // chat
  std::string room;
  std::string message;
  Json from;
  std::int64_t sent_at = 0;
  // do / doResponse
  std::string message_id;
  std::string method;
  std::string connection_id;         // do: the connection it is for; args[1] is the room
  std::optional<std::string> error;  // doResponse with an error
};

// nullopt when the text is not JSON, not an object, or carries another token (ignored, as
// actionhero ignores them).
std::optional<Incoming> read_message(std::string_view text, std::string_view token);

}  // namespace actionhost::cluster
