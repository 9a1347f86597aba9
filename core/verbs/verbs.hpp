#pragma once
// The socket verbs of SPEC §4.3: what each does to the connection and the rooms, and the
// data or error it answers. The caller frames the answer (messageCount, messageId) and
// handles quit (the goodbye line, then close).

#include <optional>
#include <string>
#include <string_view>

#include "actions/action_registry.hpp"
#include "connections/connection.hpp"
#include "connections/peer.hpp"
#include "services/chat_service.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

enum class Verb {
  quit,
  param_add,
  param_delete,
  param_view,
  params_view,
  params_delete,
  room_add,
  room_leave,
  room_view,
  details_view,
  documentation,
  say,
};

// The verb a request's first word names, if any (names are case-sensitive).
std::optional<Verb> find_verb(std::string_view word);

struct VerbContext {
  Connection& connection;            // owned by the caller (RequestHandler), changed here for it
  const ChatService& chat;           // detailsView's rooms
  const ActionRegistry& actions;     // read only by the verbs that need it (paramAdd, documentation)
  bool scrub_params;                 // false when server.disable_param_scrubbing
  std::size_t max_params = 0;        // socket.max_params (paramAdd); 0 = no limit
  std::size_t max_params_bytes = 0;  // socket.max_params_bytes (paramAdd); 0 = no limit
};

// Runs `verb` with `args`, the request line after the verb and its following spaces: the
// answer's data, or a Problem whose message is the SPEC's. Errors are checked in the SPEC's
// order. Verb::quit does nothing here and answers null; the chat verbs are run_chat_verb's.
Result<Json> run_verb(Verb verb, std::string_view args, VerbContext& context);

// roomAdd, roomLeave, roomView and say: they go through ChatService, which in cluster mode
// answers later, from another thread; `done` gets the data or the Problem, once.
bool is_chat_verb(Verb verb);
void run_chat_verb(Verb verb, std::string_view args, ChatService& chat, const std::shared_ptr<Peer>& self,
                   ChatService::Done done);

}  // namespace actionhost
