#include "plugins/plugin_manager.hpp"

#include <spdlog/spdlog.h>

#include "plugins/host_api.hpp"

namespace actionhost {

PluginManager::PluginManager(Services& services) : services_(services), loader_(host_api(services)) {}

std::vector<std::string> PluginManager::load_all() {
  std::vector<std::string> problems;
  const std::filesystem::path dir = services_.config.plugins.dir;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    spdlog::warn("plugins.dir {} is not a folder: no action is served until plugins are built "
                 "there (scripts/build puts the shipped ones in build/plugins)",
                 dir.string());
    return problems;
  }
  for (const auto& file : plugin_files(dir)) {
    if (std::string problem = load(file); !problem.empty()) problems.push_back(problem);
  }
  return problems;
}

std::string PluginManager::load(const std::filesystem::path& file) {
  LoadOutcome outcome = loader_.load(file);
  if (outcome.plugin) {
    std::string names;
    for (const auto& action : outcome.plugin->actions) {
      names += (names.empty() ? "" : ", ") + action->name + " v" + std::to_string(action->version);
    }
    std::string name = outcome.plugin->library->name();
    std::string version = outcome.plugin->library->version();
    outcome.error = services_.actions.add(std::move(*outcome.plugin));
    if (outcome.error.empty()) {
      spdlog::info("loaded plugin {} {} from {}: {}", name, version, file.filename().string(),
                   names.empty() ? "no actions" : names);
      return {};
    }
  }
  std::string problem = "plugin " + file.string() + " refused: " + outcome.error;
  spdlog::error("{}", problem);
  return problem;
}

}  // namespace actionhost
