#include "cluster/cluster_messages.hpp"

namespace actionhost::cluster {
namespace {

std::string text_of(const Json& message) {
  return message.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string string_at(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return {};
}

}  // namespace

std::string chat_message(const Sender& sender, std::string_view room, std::string_view message,
                         const Json& from, std::int64_t sent_at) {
  return text_of({{"messageType", "chat"},
                  {"serverToken", sender.token},
                  {"serverId", sender.server_id},
                  {"message", message},
                  {"sentAt", sent_at},
                  {"connection", {{"id", from}, {"room", room}}}});
}

std::string do_message(const Sender& sender, std::string_view message_id, std::string_view method,
                       std::string_view connection_id, std::string_view room) {
  return text_of({{"messageType", "do"},
                  {"serverId", sender.server_id},
                  {"serverToken", sender.token},
                  {"messageId", message_id},
                  {"method", method},
                  {"connectionId", connection_id},
                  {"args", Json::array({connection_id, room})}});
}

std::string do_response(const Sender& sender, std::string_view message_id, const std::string* error) {
  Json message = {{"messageType", "doResponse"},
                  {"serverId", sender.server_id},
                  {"serverToken", sender.token},
                  {"messageId", message_id}};
  if (error) {
    message["error"] = *error;
  } else {
    message["response"] = true;
  }
  return text_of(message);
}

std::string member_value(std::string_view connection_id, std::int64_t joined_at, std::string_view host) {
  return text_of({{"id", connection_id}, {"joinedAt", joined_at}, {"host", host}});
}

std::optional<Incoming> read_message(std::string_view text, std::string_view token) {
  Json message = Json::parse(text, nullptr, false);
  if (message.is_discarded() || !message.is_object()) return std::nullopt;
  auto token_it = message.find("serverToken");
  if (token_it == message.end() || !token_it->is_string() || token_it->get_ref<const std::string&>() != token) {
    return std::nullopt;
  }
  Incoming incoming;
  incoming.server_id = string_at(message, "serverId");
  const std::string type = string_at(message, "messageType");
  if (type == "chat") {
    auto connection = message.find("connection");
    auto body = message.find("message");
    if (connection == message.end() || !connection->is_object() || body == message.end()) return incoming;
    incoming.room = string_at(*connection, "room");
    if (incoming.room.empty()) return incoming;
    incoming.from = connection->contains("id") ? (*connection)["id"] : Json(0);
    // actionhero sends any JSON value as a message; a client receives it as it was sent.
    incoming.message = body->is_string() ? body->get<std::string>() : text_of(*body);
    auto sent = message.find("sentAt");
    incoming.sent_at = sent != message.end() && sent->is_number_integer() ? sent->get<std::int64_t>() : 0;
    incoming.type = Incoming::Type::chat;
  } else if (type == "do") {
    incoming.message_id = string_at(message, "messageId");
    incoming.method = string_at(message, "method");
    incoming.connection_id = string_at(message, "connectionId");
    auto args = message.find("args");
    if (args != message.end() && args->is_array() && args->size() >= 2 && (*args)[1].is_string()) {
      incoming.room = (*args)[1].get<std::string>();
    }
    incoming.type = Incoming::Type::call;
  } else if (type == "doResponse") {
    incoming.message_id = string_at(message, "messageId");
    if (auto error = message.find("error"); error != message.end() && !error->is_null()) {
      incoming.error = error->is_string() ? error->get<std::string>() : text_of(*error);
    }
    incoming.type = Incoming::Type::response;
  }
  return incoming;
}

}  // namespace actionhost::cluster
