#include "actions/action_registry.hpp"

#include <utility>

namespace actionhost {

std::string ActionRegistry::add(LoadedPlugin plugin) {
  std::lock_guard change(writer_);
  auto before = current();
  if (std::string conflict = before->conflict_with(plugin); !conflict.empty()) return conflict;
  std::vector<LoadedPlugin> plugins = before->plugins();
  plugins.push_back(std::move(plugin));
  auto next = std::make_shared<const ActionSet>(std::move(plugins));
  std::lock_guard lock(mutex_);
  current_ = std::move(next);
  return {};
}

void ActionRegistry::clear() {
  std::lock_guard change(writer_);
  auto empty = std::make_shared<const ActionSet>();
  std::unique_lock lock(mutex_);
  auto before = std::exchange(current_, std::move(empty));
  lock.unlock();  // plugins may unload as `before` goes, outside the lock
}

}  // namespace actionhost
