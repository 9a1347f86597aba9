#pragma once
// The actions the server can run, as the protocol layer sees them: which params some
// action takes (for paramAdd's scrubbing) and the documentation object (SPEC §4.3, §4.4).
//
// Actions arrive with plugins; until a plugin is loaded the catalog is empty, every
// action request is answered "unknown action or invalid apiVersion" and the
// documentation is {}.

#include <set>
#include <string>
#include <string_view>

#include "protocol/answers.hpp"

namespace actionhost {

class ActionCatalog {
 public:
  // Params every request may carry whatever the action (SPEC §4.3, paramAdd).
  static bool is_global_param(std::string_view key) {
    return key == "file" || key == "apiVersion" || key == "callback" || key == "action" ||
           key == "messageId";
  }

  // True when `key` is a global param or an input of some loaded action.
  bool is_known_param(std::string_view key) const {
    return is_global_param(key) || inputs_.find(key) != inputs_.end();
  }

  // {NAME: {"VERSION": {...}}} for every loaded action.
  const Json& documentation() const { return documentation_; }

 private:
  std::set<std::string, std::less<>> inputs_;
  Json documentation_ = Json::object();
};

}  // namespace actionhost
