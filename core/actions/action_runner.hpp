#pragma once
// The action pipeline of SPEC §4.4, from a request to a running action:
//   shutdown → pending limit → unknown name or version → param scrubbing → per input, in
//   declared order: default, formatter, validator, required → run.
// Every refusal is answered here, with the "Error: " prefix; a started action answers
// through its PendingAction. Runs on the connection's strand.

#include <string_view>

#include "app/services.hpp"
#include "connections/connection.hpp"
#include "connections/peer.hpp"
#include "protocol/answers.hpp"

namespace actionhost {

void run_action(Services& services, Connection& connection, Peer& origin, std::string_view name,
                Json params, AnswerTag tag);

}  // namespace actionhost
