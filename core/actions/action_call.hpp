#pragma once
// One call of an action in flight, as its plugin sees it: the object behind an ah_request
// handle (abi.h). Implemented by dispatch/'s PendingAction; the host services in plugins/
// answer through it without knowing how an answer reaches the client.
//
// respond() and fail() may be called from any thread; the first answer wins, and a later
// one (or one after the action timed out) is a conflict Problem and is dropped.

#include <string>
#include <string_view>

#include <actionhost/abi.h>

#include "util/result.hpp"

namespace actionhost {

class ActionCall {
 public:
  // `response_json`: the action's response fields as one JSON object.
  virtual Result<> respond(std::string_view response_json) = 0;
  // Answers "Error: " + message.
  virtual Result<> fail(std::string_view message) = 0;
  virtual const std::string& connection_id() const = 0;

  ah_request* handle() { return reinterpret_cast<ah_request*>(this); }
  static ActionCall* from_handle(ah_request* handle) { return reinterpret_cast<ActionCall*>(handle); }

 protected:
  ~ActionCall() = default;  // owned through the implementation
};

}  // namespace actionhost
