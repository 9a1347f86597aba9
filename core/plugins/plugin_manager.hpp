#pragma once
// Keeps the served actions in step with plugins.dir (SPEC §5):
//   - at start, loads every *.so there;
//   - with plugins.watch, reloads a file written and closed or renamed in, and unloads one
//     deleted or renamed out, after plugins.debounce_ms of quiet (PluginWatcher);
//   - on SIGHUP (rescan()), does the same for every file that changed since it was loaded.
// A new version replaces the old in one step (ActionRegistry::replace): requests already
// running finish on the old library, which closes after its last one. A file that fails
// to load leaves what was served untouched. Each load, unload and refusal is logged in one
// line with the plugin's name, version, file and actions.
//
// Threading: loading (on_load), unloading (on_unload) and closing libraries all run on the
// manager's own thread (its LibraryCloser hands every last reference there), so a slow
// dlopen or on_load never holds up an I/O thread, and no library is closed on a thread that
// runs its code. load_all() waits for the first loads there.

#include <cstdint>
#include <filesystem>
#include <list>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "actions/action_registry.hpp"
#include "config/config.hpp"
#include "plugins/library_closer.hpp"
#include "plugins/plugin_loader.hpp"
#include "plugins/plugin_watcher.hpp"
#include "status/server_status.hpp"
#include "util/result.hpp"

namespace actionhost {

class PluginManager {
 public:
  // Publishes what it loads in `actions` and counts reloads in `status`; hands `host` to
  // every plugin. All of them outlive the manager.
  // `action_timeout_ms` is actions.timeout_ms, for the deadline of a replaced version.
  // `settings` is the map the host tables hand plugins their settings from (changed by
  // update_settings, on the manager's thread); null: it never changes.
  PluginManager(const PluginsConfig& config, ActionRegistry& actions, ServerStatus& status, HostTables host,
                std::int64_t action_timeout_ms = 0,
                std::map<std::string, Json, std::less<>>* settings = nullptr);
  ~PluginManager();

  // With plugins.watch, starts watching plugins.dir; then loads every *.so there. Returns
  // one message per file refused.
  std::vector<std::string> load_all();

  // From now on, loads and unloads count as reloads. Call after load_all().
  void start();
  // Rescans the whole folder (SIGHUP). Thread-safe.
  void rescan();
  // New [plugins.config] settings (SIGHUP): every loaded plugin whose settings changed is
  // reloaded with them. Thread-safe.
  void update_settings(std::map<std::string, Json, std::less<>> settings);
  // Stops watching and joins the thread. Idempotent.
  void stop();

 private:
  // Loads `file` in place of what came from it before; a Problem says why it was refused.
  Result<> load(const std::filesystem::path& file);
  void unload(const std::filesystem::path& file);
  // `file`'s version is about to be replaced or removed: if it is still open at its longest
  // action timeout + 1 s (SPEC §5.2), say why it is waited for.
  void watch_close(const std::string& file);
  void watch();
  // A change the watcher reported: reload the file, or unload it when it is gone.
  void on_change(const std::filesystem::path& file);
  // Loads what is new or changed in the folder and unloads what is gone.
  void rescan_now(bool announce);
  std::vector<std::string> load_all_now();

  const PluginsConfig& config_;
  const std::int64_t action_timeout_ms_;
  std::map<std::string, Json, std::less<>>* settings_;  // on the manager's thread only
  ActionRegistry& actions_;
  ServerStatus& status_;
  boost::asio::io_context io_;  // run by thread_
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::shared_ptr<LibraryCloser> closer_;
  PluginLoader loader_;
  bool started_ = false;                   // after load_all(): changes count as reloads
  std::map<std::string, FileStamp> seen_;  // file name → the version last tried, loaded or not
  std::unique_ptr<PluginWatcher> watcher_;
  std::list<boost::asio::steady_timer> close_deadlines_;  // one per replaced version still watched
  std::thread thread_;
};

}  // namespace actionhost
