#pragma once
// An immutable snapshot of everything the server serves: the loaded plugins and their
// actions, with what the protocol derives from them (the param whitelist for paramAdd and
// scrubbing, the documentation object). A request takes the current snapshot when it
// starts and runs entirely on it; a reload publishes a new one (ActionRegistry).

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "actions/action.hpp"
#include "util/result.hpp"

namespace actionhost {

class ActionSet {
 public:
  ActionSet() = default;
  explicit ActionSet(std::vector<LoadedPlugin> plugins);

  // Params every request may carry whatever the action (SPEC §4.3, paramAdd).
  static bool is_global_param(std::string_view key) {
    return key == "file" || key == "apiVersion" || key == "callback" || key == "action" || key == "messageId";
  }

  // True when `key` is a global param or an input of some action.
  bool is_known_param(std::string_view key) const {
    return is_global_param(key) || inputs_.find(key) != inputs_.end();
  }

  // The action by name and version; the highest version when `version` is empty.
  std::shared_ptr<const Action> find(std::string_view name, std::optional<int> version) const;

  // A conflict Problem when another plugin already serves one of `candidate`'s actions (name
  // and version); it names that plugin's file.
  Result<> check_no_conflict(const LoadedPlugin& candidate) const;

  // {NAME: {"VERSION": {"name","version","description","inputs","outputExample"}}}
  const Json& documentation() const { return documentation_; }
  const std::vector<LoadedPlugin>& plugins() const { return plugins_; }
  // The hooks of one kind, in the order they run: priority, then plugin load order.
  const HookList& hooks(HookKind kind) const { return hooks_[static_cast<int>(kind)]; }
  std::size_t action_count() const;

 private:
  std::vector<LoadedPlugin> plugins_;
  std::map<std::string, std::map<int, std::shared_ptr<const Action>>, std::less<>> actions_;
  std::set<std::string, std::less<>> inputs_;
  std::array<HookList, kHookKinds> hooks_;
  Json documentation_ = Json::object();
};

}  // namespace actionhost
