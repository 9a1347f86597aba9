#include "actions/action_registry.hpp"

#include <algorithm>
#include <utility>

namespace actionhost {

// The set that was current is released after the lock: the last reference to a replaced
// plugin may go with it, and its unload hook must not run under the lock.
void ActionRegistry::publish(std::shared_ptr<const ActionSet> next) {
  std::unique_lock lock(mutex_);
  auto before = std::exchange(current_, std::move(next));
  lock.unlock();
}

Result<> ActionRegistry::add(LoadedPlugin plugin) {
  std::lock_guard change(writer_);
  auto before = current();
  if (auto checked = before->check_no_conflict(plugin); !checked) return checked;
  std::vector<LoadedPlugin> plugins = before->plugins();
  plugins.push_back(std::move(plugin));
  publish(std::make_shared<const ActionSet>(std::move(plugins)));
  return {};
}

Result<> ActionRegistry::replace(LoadedPlugin plugin) {
  std::lock_guard change(writer_);
  auto before = current();
  const std::string& file = plugin.library->file();
  std::vector<LoadedPlugin> others;
  for (const auto& loaded : before->plugins()) {
    if (loaded.library->file() != file) others.push_back(loaded);
  }
  ActionSet without(others);
  if (auto checked = without.check_no_conflict(plugin); !checked) return checked;
  others.push_back(std::move(plugin));
  std::sort(others.begin(), others.end(),
            [](const LoadedPlugin& a, const LoadedPlugin& b) { return a.library->file() < b.library->file(); });
  publish(std::make_shared<const ActionSet>(std::move(others)));
  return {};
}

bool ActionRegistry::remove(const std::string& file) {
  std::lock_guard change(writer_);
  auto before = current();
  std::vector<LoadedPlugin> others;
  for (const auto& loaded : before->plugins()) {
    if (loaded.library->file() != file) others.push_back(loaded);
  }
  if (others.size() == before->plugins().size()) return false;
  publish(std::make_shared<const ActionSet>(std::move(others)));
  return true;
}

void ActionRegistry::clear() {
  std::lock_guard change(writer_);
  publish(std::make_shared<const ActionSet>());
}

}  // namespace actionhost
