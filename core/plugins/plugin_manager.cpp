#include "plugins/plugin_manager.hpp"

#include "plugins/served_plugin.hpp"

#include <future>
#include <set>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "crashes/quarantine.hpp"

namespace actionhost {
namespace fs = std::filesystem;

namespace {

std::string describe(const LoadedPlugin& plugin) {
  std::string names;
  for (const auto& action : plugin.actions) {
    names += (names.empty() ? "" : ", ") + action->name + " v" + std::to_string(action->version);
  }
  return plugin.library->name() + " " + plugin.library->version() + " from " + plugin.library->file() + ": " +
         (names.empty() ? "no actions" : names);
}

}  // namespace

PluginManager::PluginManager(const PluginsConfig& config, ActionRegistry& actions, ServerStatus& status,
                             HostTables host, std::int64_t action_timeout_ms,
                             std::map<std::string, Json, std::less<>>* settings)
    : config_(config),
      action_timeout_ms_(action_timeout_ms),
      settings_(settings),
      actions_(actions),
      status_(status),
      work_(io_.get_executor()),
      closer_(std::make_shared<LibraryCloser>(io_)),
      loader_(host, closer_),
      thread_([this] { io_.run(); }) {}

PluginManager::~PluginManager() { stop(); }

std::vector<std::string> PluginManager::load_all() {
  std::promise<std::vector<std::string>> loaded;
  boost::asio::post(io_, [this, &loaded] { loaded.set_value(load_all_now()); });
  return loaded.get_future().get();
}

std::vector<std::string> PluginManager::load_all_now() {
  std::vector<std::string> problems;
  const fs::path dir = config_.dir;
  std::error_code ec;
  if (fs::is_directory(dir, ec)) watch();
  if (!fs::is_directory(dir, ec)) {
    spdlog::warn("plugins.dir {} is not a folder: no action is served until plugins are built "
                 "there (scripts/build puts the shipped ones in build/plugins)",
                 dir.string());
    return problems;
  }
  for (const auto& file : plugin_files(dir)) {
    if (auto loaded = load(file); !loaded) problems.push_back(loaded.problem().message);
  }
  return problems;
}

void PluginManager::start() {
  boost::asio::post(io_, [this] { started_ = true; });
}

// Set up before the first load, so that no change is missed between that load and the
// watch; events for files loaded meanwhile are dropped by on_change as already seen.
void PluginManager::watch() {
  if (!config_.watch) return;
  watcher_ = std::make_unique<PluginWatcher>(
      io_, config_.dir, std::chrono::milliseconds(config_.debounce_ms),
      [this](const fs::path& file) { on_change(file); }, [this] { rescan_now(true); });
  if (auto started = watcher_->start(); !started) {
    spdlog::warn("{}; plugins reload only on SIGHUP", started.problem().message);
    watcher_.reset();
    return;
  }
  spdlog::info("watching {} for plugin changes", config_.dir);
}

void PluginManager::rescan() {
  boost::asio::post(io_, [this] { rescan_now(true); });
}

void PluginManager::update_settings(std::map<std::string, Json, std::less<>> settings) {
  boost::asio::post(io_, [this, settings = std::move(settings)]() mutable {
    if (!settings_) return;
    auto of = [](const std::map<std::string, Json, std::less<>>& map, const std::string& name) {
      auto it = map.find(name);
      return it == map.end() ? Json::object() : it->second;
    };
    std::vector<std::string> changed;  // files of loaded plugins whose settings changed
    std::set<std::string> loaded;
    {
      auto current = actions_.current();
      for (const auto& plugin : current->plugins()) {
        const std::string& name = plugin.library->name();
        loaded.insert(plugin.library->file());
        if (of(*settings_, name) != of(settings, name)) changed.push_back(plugin.library->file());
      }
    }
    // Files refused before (e.g. for a missing setting) are tried again when any setting changed.
    if (*settings_ != settings) {
      for (const auto& [file, stamp] : seen_) {
        if (!loaded.count(file)) changed.push_back(file);
      }
    }
    *settings_ = std::move(settings);
    for (const auto& file : changed) {
      spdlog::info("the settings of the plugin in {} changed: reloading it", file);
      static_cast<void>(load(fs::path(config_.dir) / file));  // a refusal is logged by load()
    }
  });
}

void PluginManager::stop() {
  boost::asio::post(io_, [this] {
    if (watcher_) watcher_->stop();
    for (auto& timer : close_deadlines_) timer.cancel();
    work_.reset();
  });
  if (thread_.joinable()) thread_.join();
  closer_->stop();
}

Result<> PluginManager::load(const fs::path& file) {
  seen_[file.filename().string()] = FileStamp::of(file);
  bool quarantined = false;
  auto published = [&]() -> Result<> {
    if (auto why = crash::quarantine_reason(file)) {
      quarantined = true;
      return Problem::invalid(*why);
    }
    auto loaded = loader_.load(file);
    if (!loaded) return std::move(loaded).problem();
    std::string description = describe(*loaded);
    watch_close(file.filename().string());
    if (auto replaced = actions_.replace(std::move(*loaded)); !replaced) return replaced;
    if (started_) ++status_.reloads;
    ++status_.plugin_loads_loaded;
    spdlog::info("loaded plugin {}", description);
    return {};
  }();
  if (published) return published;
  if (started_) ++status_.reloads_refused;
  ++(quarantined ? status_.plugin_loads_quarantined : status_.plugin_loads_refused);
  Problem refused{published.problem().kind,
                  "plugin " + file.string() + " refused: " + published.problem().message};
  spdlog::error("{}", refused.message);
  return refused;
}

void PluginManager::unload(const fs::path& file) {
  seen_.erase(file.filename().string());
  auto actions = actions_.current();
  for (const auto& plugin : actions->plugins()) {
    if (plugin.library->file() != file.filename().string()) continue;
    std::string description = describe(plugin);
    actions.reset();  // this snapshot must not keep the library loaded
    watch_close(file.filename().string());
    if (actions_.remove(file.filename().string())) {
      ++status_.reloads;
      spdlog::info("unloaded plugin {} (its file is gone)", description);
    }
    return;
  }
}

void PluginManager::watch_close(const std::string& file) {
  std::weak_ptr<PluginLibrary> library;
  std::int64_t longest = 0;
  {
    auto current = actions_.current();
    for (const auto& plugin : current->plugins()) {
      if (plugin.library->file() != file) continue;
      const auto* served = dynamic_cast<const ServedPlugin*>(plugin.library.get());
      if (!served) return;
      library = served->library();
      for (const auto& action : plugin.actions) {
        const std::int64_t timeout = action->timeout_ms > 0 ? action->timeout_ms : action_timeout_ms_;
        if (timeout <= 0) return;  // no timeout: it closes when its last request is answered
        longest = std::max(longest, timeout);
      }
    }
  }
  if (library.expired()) return;
  const auto deadline = std::chrono::milliseconds(longest + 1000);
  auto& timer = close_deadlines_.emplace_back(io_, deadline);
  auto position = std::prev(close_deadlines_.end());
  timer.async_wait([this, library, deadline, position](const boost::system::error_code& ec) {
    if (!ec) {
      if (auto open = library.lock()) {
        spdlog::warn("plugin {} {} from {} is still open {} ms after it was replaced: a server thread is "
                     "still running its code (an action, hook or timer that has not returned); it closes "
                     "as soon as that returns",
                     open->name(), open->version(), open->file(), deadline.count());
      }
    }
    close_deadlines_.erase(position);
  });
}

void PluginManager::on_change(const fs::path& file) {
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) {
    auto seen = seen_.find(file.filename().string());
    if (seen != seen_.end() && seen->second == FileStamp::of(file)) return;  // this version was tried
    static_cast<void>(load(file));                                           // a refusal is logged by load()
  } else {
    unload(file);
  }
}

void PluginManager::rescan_now(bool announce) {
  if (announce) spdlog::info("rescanning {}", config_.dir);
  std::set<std::string> present;
  for (const auto& file : plugin_files(config_.dir)) {
    const std::string name = file.filename().string();
    present.insert(name);
    auto seen = seen_.find(name);
    if (seen == seen_.end() || !(seen->second == FileStamp::of(file))) {
      static_cast<void>(load(file));  // a refusal is logged by load()
    }
  }
  std::vector<std::string> gone;
  for (const auto& [name, stamp] : seen_) {
    if (!present.count(name)) gone.push_back(name);
  }
  for (const auto& name : gone) unload(fs::path(config_.dir) / name);
}

}  // namespace actionhost
