#pragma once
// Turns one request line into its answer (SPEC §4.2): counts it, refuses what is not
// valid UTF-8 or valid JSON, and hands it to a verb or to an action. Answers are queued on
// the connection's own Peer, so they follow any chat the request caused.
//
// Runs on the connection's strand only; it owns no I/O.

#include <string_view>

#include "app/services.hpp"
#include "connections/connection.hpp"
#include "connections/peer.hpp"

namespace actionhost {

class RequestHandler {
 public:
  RequestHandler(Services& services, Connection& connection, Peer& self)
      : services_(services), connection_(connection), self_(self) {}

  enum class After { carry_on, close };  // close: the goodbye line is already queued

  // Sends the welcome line and joins chat.default_room, if it is set.
  void greet();
  After handle_line(std::string_view line);
  void refuse_overlong_line();
  // Leaves every room the connection is in; for its close.
  void leave_all_rooms();

 private:
  AnswerTag next_tag(const Json& params);
  void answer(std::string bytes);
  After handle_verb_line(std::string_view verb_word, std::string_view args);
  void handle_json_request(std::string_view line);
  void send_file(std::string_view path);

  Services& services_;
  Connection& connection_;
  Peer& self_;
};

}  // namespace actionhost
