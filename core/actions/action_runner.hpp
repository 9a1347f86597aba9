#pragma once
// The action pipeline of SPEC §4.4, from a request to a running action:
//   shutdown → pending limit → unknown name or version → param scrubbing → per input, in
//   declared order: default, formatter, validator, required → run.
// Every refusal is answered here, with the "Error: " prefix; a started action answers
// through its PendingAction. Runs on the connection's strand.

#include <string>
#include <string_view>

#include "app/services.hpp"
#include "connections/connection.hpp"
#include "connections/peer.hpp"
#include "protocol/answers.hpp"

namespace actionhost {

// `params_text`, when given, is `params` already serialized (the sticky params); it is
// handed to the plugin as it is when the pipeline leaves the params unchanged.
void run_action(Services& services, Connection& connection, Peer& origin, std::string_view name,
                const Json& params, const std::string* params_text, AnswerTag tag);

}  // namespace actionhost
