#include "actions/action_set.hpp"

#include <algorithm>

namespace actionhost {

ActionSet::ActionSet(std::vector<LoadedPlugin> plugins) : plugins_(std::move(plugins)) {
  for (const auto& plugin : plugins_) {
    for (const auto& action : plugin.actions) {
      actions_[action->name][action->version] = action;
      Json inputs = Json::object();
      for (const auto& input : action->inputs) {
        inputs_.insert(input.name);
        Json described = {{"required", input.required}};
        if (input.type != AH_TYPE_ANY) described["type"] = type_name(input.type);
        if (input.default_value) described["default"] = *input.default_value;
        inputs[input.name] = std::move(described);
      }
      documentation_[action->name][std::to_string(action->version)] = {
          {"name", action->name},
          {"version", action->version},
          {"description", action->description},
          {"inputs", std::move(inputs)},
          {"outputExample", action->output_example}};
    }
    for (const auto& hook : plugin.hooks) hooks_[static_cast<int>(hook->kind)].push_back(hook);
  }
  for (auto& list : hooks_) {
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a->priority < b->priority; });
  }
}

std::shared_ptr<const Action> ActionSet::find(std::string_view name, std::optional<int> version) const {
  auto named = actions_.find(name);
  if (named == actions_.end() || named->second.empty()) return nullptr;
  if (!version) return named->second.rbegin()->second;
  auto it = named->second.find(*version);
  return it == named->second.end() ? nullptr : it->second;
}

Result<> ActionSet::check_no_conflict(const LoadedPlugin& candidate) const {
  for (const auto& action : candidate.actions) {
    auto existing = find(action->name, action->version);
    if (existing) {
      return Problem::conflict("action " + action->name + " version " + std::to_string(action->version) +
                               " is already served by " + existing->library->file());
    }
  }
  return {};
}

std::size_t ActionSet::action_count() const {
  std::size_t count = 0;
  for (const auto& plugin : plugins_) count += plugin.actions.size();
  return count;
}

}  // namespace actionhost
