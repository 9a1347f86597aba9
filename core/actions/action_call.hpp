#pragma once
// One call of an action in flight, as its plugin sees it: the object behind an ah_request
// handle (abi.h), and behind the ah_writer of its response. Implemented by dispatch/'s
// PendingAction; the host services in plugins/ answer through it without knowing how an
// answer reaches the client.
//
// respond(), fail() and the params may be used from any thread until the call is answered;
// the first answer wins, and a later one (or one after the action timed out) is a conflict
// Problem and is dropped. A writer is used on one thread, from begin to end.

#include <string>
#include <string_view>

#include <actionhost/abi.h>

#include "connections/peer.hpp"
#include "protocol/response_writer.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

class ActionCall {
 public:
  // `response_json`: the action's response fields as one JSON object.
  virtual Result<> respond(std::string_view response_json) = 0;
  // Answers "Error: " + message.
  virtual Result<> fail(std::string_view message) = 0;
  // A writer for the response; null when the call was answered already.
  virtual ResponseWriter* begin_response() = 0;
  // The writer begun, until end_response(); null otherwise.
  virtual ResponseWriter* writer() = 0;
  // Answers with what the writer holds.
  virtual Result<> end_response() = 0;

  // The connection that made the request; alive as long as the call.
  virtual Peer& connection() const = 0;
  // The params after the pipeline, as JSON text, and as a tree (parsed on first use, then
  // kept until the call ends).
  virtual std::string_view params_text() const = 0;
  virtual const Json& params() = 0;

  ah_request* handle() { return reinterpret_cast<ah_request*>(this); }
  static ActionCall* from_handle(ah_request* handle) { return reinterpret_cast<ActionCall*>(handle); }
  ah_writer* writer_handle() { return reinterpret_cast<ah_writer*>(this); }
  static ActionCall* from_writer(ah_writer* handle) { return reinterpret_cast<ActionCall*>(handle); }

 protected:
  ActionCall() = default;
  ~ActionCall() = default;  // owned through the implementation
  ActionCall(const ActionCall&) = default;
  ActionCall& operator=(const ActionCall&) = default;
};

}  // namespace actionhost
