#pragma once
// Owns the current ActionSet and replaces it whole: readers copy the shared_ptr under a
// short lock and keep using their snapshot, unaffected by later changes.

#include <memory>
#include <mutex>
#include <string>

#include "actions/action_set.hpp"

namespace actionhost {

class ActionRegistry {
 public:
  ActionRegistry() : current_(std::make_shared<const ActionSet>()) {}

  std::shared_ptr<const ActionSet> current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

  // Publishes the current set plus `plugin`, unless one of its actions is already served;
  // then returns why (a conflict) and changes nothing.
  Result<> add(LoadedPlugin plugin);

  // Publishes the current set with `plugin` in place of whatever came from the same file
  // (by file name), unless one of its actions is served by another plugin; then returns why
  // and changes nothing. The replaced library closes once its last request is answered.
  Result<> replace(LoadedPlugin plugin);

  // Publishes the current set without the plugin loaded from `file`; false when none was.
  bool remove(const std::string& file);

  // Publishes an empty set: every plugin is unloaded once its last request is answered.
  void clear();

 private:
  void publish(std::shared_ptr<const ActionSet> next);

  mutable std::mutex mutex_;
  std::mutex writer_;  // one change at a time
  std::shared_ptr<const ActionSet> current_;
};

}  // namespace actionhost
