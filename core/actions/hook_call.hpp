#pragma once
// One call of a hook, as its plugin sees it: the object behind an ah_hook handle (abi.h).
// The fields a hook reads and sets depend on its kind (ah_hook_kind); FieldHookCall holds
// them for every kind whose hooks run synchronously; dispatch/ implements the action
// `before` call, which may finish later.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <actionhost/abi.h>

#include "connections/peer.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

class HookCall {
 public:
  // The field's value, held by the call until it ends or the field is set; null when this
  // kind of hook has no such field.
  virtual const Json* find(std::string_view field) const = 0;
  // Changes a settable field; an invalid Problem says why not.
  virtual Result<> set(std::string_view field, Json value) = 0;
  // The connection the hook is about, or null.
  virtual Peer* connection() const = 0;
  // Ends a `before` call that returned AH_HOOK_LATER; others refuse it.
  virtual Result<> finish(bool allow, std::string_view message) {
    static_cast<void>(allow);
    static_cast<void>(message);
    return Problem::invalid("only an action before hook can finish later");
  }

  void deny_with(std::string_view message) { deny_message_ = std::string(message); }
  const std::string& deny_message() const { return deny_message_; }

  ah_hook* handle() { return reinterpret_cast<ah_hook*>(this); }
  static HookCall* from_handle(ah_hook* handle) { return reinterpret_cast<HookCall*>(handle); }

 protected:
  HookCall() = default;
  ~HookCall() = default;  // owned through the implementation
  HookCall(const HookCall&) = default;
  HookCall& operator=(const HookCall&) = default;

 private:
  std::string deny_message_;
};

// A hook call whose fields are a JSON object. `settable` names the fields a hook may
// change; with `open_fields`, any field not among the read-only ones may be set, and is
// collected in added() (chat member hooks add fields to a member's record).
class FieldHookCall final : public HookCall {
 public:
  FieldHookCall(Json fields, std::set<std::string, std::less<>> settable, Peer* connection,
                bool open_fields = false)
      : fields_(std::move(fields)),
        settable_(std::move(settable)),
        connection_(connection),
        open_fields_(open_fields) {}

  const Json* find(std::string_view field) const override {
    if (auto it = fields_.find(field); it != fields_.end()) return &*it;
    if (auto it = added_.find(field); it != added_.end()) return &*it;
    return nullptr;
  }
  Result<> set(std::string_view field, Json value) override;
  Peer* connection() const override { return connection_; }
  // The same call for another connection (a delivery's next recipient).
  void set_connection(Peer* connection) { connection_ = connection; }

  const Json& fields() const { return fields_; }
  Json& fields() { return fields_; }
  const Json& added() const { return added_; }

 private:
  Json fields_;
  std::set<std::string, std::less<>> settable_;
  Peer* connection_;
  bool open_fields_;
  Json added_ = Json::object();
};

}  // namespace actionhost
