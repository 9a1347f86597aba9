#include "plugins/plugin_manager.hpp"

#include <set>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "plugins/host_api.hpp"

namespace actionhost {
namespace fs = std::filesystem;

namespace {

std::string describe(const LoadedPlugin& plugin) {
  std::string names;
  for (const auto& action : plugin.actions) {
    names += (names.empty() ? "" : ", ") + action->name + " v" + std::to_string(action->version);
  }
  return plugin.library->name() + " " + plugin.library->version() + " from " + plugin.library->file() +
         ": " + (names.empty() ? "no actions" : names);
}

}  // namespace

PluginManager::PluginManager(Services& services)
    : services_(services), loader_(host_api(services)), work_(io_.get_executor()) {}

PluginManager::~PluginManager() { stop(); }

std::vector<std::string> PluginManager::load_all() {
  std::vector<std::string> problems;
  const fs::path dir = services_.config.plugins.dir;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) watch();
  if (!fs::is_directory(dir, ec)) {
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

void PluginManager::start() {
  started_ = true;
  thread_ = std::thread([this] { io_.run(); });
}

// Set up before the first load, so that no change is missed between that load and the
// watch; events for files loaded meanwhile are dropped by on_change as already seen.
void PluginManager::watch() {
  if (!services_.config.plugins.watch) return;
  watcher_ = std::make_unique<PluginWatcher>(
      io_, services_.config.plugins.dir, std::chrono::milliseconds(services_.config.plugins.debounce_ms),
      [this](const fs::path& file) { on_change(file); }, [this] { rescan_now(true); });
  try {
    watcher_->start();
    spdlog::info("watching {} for plugin changes", services_.config.plugins.dir);
  } catch (const std::exception& e) {
    spdlog::warn("{}; plugins reload only on SIGHUP", e.what());
    watcher_.reset();
  }
}

void PluginManager::rescan() {
  boost::asio::post(io_, [this] { rescan_now(true); });
}

void PluginManager::stop() {
  boost::asio::post(io_, [this] {
    if (watcher_) watcher_->stop();
    work_.reset();
  });
  if (thread_.joinable()) thread_.join();
}

std::string PluginManager::load(const fs::path& file) {
  seen_[file.filename().string()] = FileStamp::of(file);
  LoadOutcome outcome = loader_.load(file);
  if (outcome.plugin) {
    std::string description = describe(*outcome.plugin);
    outcome.error = services_.actions.replace(std::move(*outcome.plugin));
    if (outcome.error.empty()) {
      if (started_) ++services_.reloads;
      spdlog::info("loaded plugin {}", description);
      return {};
    }
  }
  if (started_) ++services_.reloads_refused;
  std::string problem = "plugin " + file.string() + " refused: " + outcome.error;
  spdlog::error("{}", problem);
  return problem;
}

void PluginManager::unload(const fs::path& file) {
  seen_.erase(file.filename().string());
  auto actions = services_.actions.current();
  for (const auto& plugin : actions->plugins()) {
    if (plugin.library->file() != file.filename().string()) continue;
    std::string description = describe(plugin);
    actions.reset();  // this snapshot must not keep the library loaded
    if (services_.actions.remove(file.filename().string())) {
      ++services_.reloads;
      spdlog::info("unloaded plugin {} (its file is gone)", description);
    }
    return;
  }
}

void PluginManager::on_change(const fs::path& file) {
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) {
    auto seen = seen_.find(file.filename().string());
    if (seen != seen_.end() && seen->second == FileStamp::of(file)) return;  // this version was tried
    load(file);
  } else {
    unload(file);
  }
}

void PluginManager::rescan_now(bool announce) {
  if (announce) spdlog::info("rescanning {}", services_.config.plugins.dir);
  std::set<std::string> present;
  for (const auto& file : plugin_files(services_.config.plugins.dir)) {
    const std::string name = file.filename().string();
    present.insert(name);
    auto seen = seen_.find(name);
    if (seen == seen_.end() || !(seen->second == FileStamp::of(file))) load(file);
  }
  std::vector<std::string> gone;
  for (const auto& [name, stamp] : seen_) {
    if (!present.count(name)) gone.push_back(name);
  }
  for (const auto& name : gone) unload(fs::path(services_.config.plugins.dir) / name);
}

}  // namespace actionhost
