#pragma once
// Turns one connection's request lines into answers (SPEC §4.2): counts each line, refuses
// what is not valid UTF-8 or valid JSON, and hands it to a verb, to `file` or to an action.
// Answers are queued on the connection's own Peer, so they follow any chat the request
// caused.
//
// The handler owns its Connection (counters, sticky params) and is the only one to change
// it, on the connection's I/O thread; its rooms belong to the ChatService. It owns no I/O.

#include <cstdint>
#include <string>
#include <string_view>

#include "actions/action_registry.hpp"
#include "connections/connection.hpp"
#include "connections/peer.hpp"
#include "dispatch/action_runner.hpp"
#include "services/chat_service.hpp"
#include "util/shared_bytes.hpp"

namespace actionhost {

struct RequestSettings {
  std::string welcome_message;       // server.welcome_message
  std::string default_room;          // chat.default_room; "" = none
  std::size_t max_line_bytes = 0;    // socket.max_line_bytes, for the message refusing a longer line
  std::size_t max_file_bytes = 0;    // socket.max_output_bytes: a larger file is not sent
  std::string public_dir;            // files.public_dir
  bool scrub_params = true;          // !server.disable_param_scrubbing
  std::size_t max_params = 0;        // socket.max_params
  std::size_t max_params_bytes = 0;  // socket.max_params_bytes
};

// What every connection's handler shares; owned by the Server.
struct RequestContext {
  RequestSettings settings;
  ChatService& chat;
  const ActionRegistry& actions;
  ActionRunner& runner;
};

class RequestHandler {
 public:
  // `self` is the connection's Peer, through which answers leave; it owns this handler.
  RequestHandler(const RequestContext& context, Peer& self);

  const Connection& connection() const { return connection_; }
  std::vector<std::string> rooms() const { return context_.chat.rooms_of(connection_.id); }
  void set_remote(std::string ip, std::uint16_t port);

  enum class After { carry_on, close };  // close: the goodbye line is already queued

  // Joins chat.default_room, if it is set and no join hook denies it, sends the welcome
  // line, then runs the open hooks.
  void greet();
  After handle_line(std::string_view line);
  void refuse_overlong_line();
  // An action of this connection answered: it is no longer pending, and its answer is queued.
  void action_answered(SharedBytes answer);
  // The connection closes: its leave hooks, it leaves every room, then its close hooks.
  void close(std::string_view reason);

 private:
  AnswerTag next_tag(const Json& params);
  void answer(std::string bytes);
  After handle_verb_line(std::string_view verb_word, std::string_view args);
  void handle_json_request(std::string_view line);
  void run_action(std::string_view name, const Json& params, const std::string* params_text, AnswerTag tag);
  void send_file(std::string_view path);

  const RequestContext& context_;
  Peer& self_;
  Connection connection_;
};

}  // namespace actionhost
