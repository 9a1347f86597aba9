#pragma once
// One loaded plugin library. Whoever may still run its code holds a shared_ptr to it: its
// ServedPlugin (and through it each of its Actions and each request in flight on them) and
// each timer it started. When the ServedPlugin goes (the version is no longer served and no
// request of it runs), the library is retired: its timers are cancelled. When the last
// reference goes, the LibraryCloser runs on_unload and closes the library on the plugin
// manager's thread.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <actionhost/abi.h>

#include "actions/action.hpp"
#include "actions/plugin_origin.hpp"
#include "plugins/plugin_timers.hpp"
#include "util/file_stamp.hpp"
#include "util/result.hpp"

namespace actionhost {

struct HostServices;

// What a plugin registers during its on_load (ABI version 2), before it is published.
struct Registration {
  std::vector<std::shared_ptr<Action>> actions;
  std::vector<std::shared_ptr<Hook>> hooks;
  std::string problem;  // the first definition refused, for the refusal line
};

class PluginLibrary final : public PluginOrigin, public std::enable_shared_from_this<PluginLibrary> {
 public:
  // What the library says about itself, read from its descriptor (of any ABI version).
  struct Identity {
    std::uint32_t abi_version = 0;
    std::string name;
    std::string version;
    void (*unload_v1)() = nullptr;
    void (*unload_v2)(ah_plugin*) = nullptr;
  };

  PluginLibrary(boost::dll::shared_library library, Identity identity, std::string file, FileStamp stamp,
                HostServices& services);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  std::uint32_t abi_version() const { return identity_.abi_version; }
  // The server parts its host services reach.
  HostServices& services() const { return services_; }
  const std::string& name() const override { return identity_.name; }
  const std::string& version() const override { return identity_.version; }
  const std::string& file() const override { return file_; }  // the name in plugins.dir
  const FileStamp& stamp() const { return stamp_; }

  // The opaque handle the plugin sees, and back.
  ah_plugin* handle() { return reinterpret_cast<ah_plugin*>(this); }
  static PluginLibrary* from_handle(ah_plugin* handle) { return reinterpret_cast<PluginLibrary*>(handle); }

  // Set once on_load succeeded, so that on_unload is called only then.
  void mark_loaded() { loaded_ = true; }

  // While on_load runs (manager thread): where register_action and register_hook put what
  // they are given; null at any other time.
  Registration* registration() { return registration_.get(); }
  void begin_registration() { registration_ = std::make_unique<Registration>(); }
  std::unique_ptr<Registration> end_registration() { return std::move(registration_); }

  // Starts a timer of this plugin: fires after `delay`, then every `interval` (0: once).
  // Refused once the library is retired. Thread-safe.
  Result<std::uint64_t> start_timer(TimerService& service, std::chrono::milliseconds delay,
                                    std::chrono::milliseconds interval, PluginTimer::Callbacks callbacks);
  // A not_found Problem when no such timer of this plugin is pending. Thread-safe.
  Result<> cancel_timer(std::uint64_t id);
  // No longer served, and no request of it running: cancels every timer and refuses new
  // ones. Thread-safe.
  void retire();
  // A timer fired for the last time or was cancelled.
  void timer_done(std::uint64_t id);
  // Where its timers' callbacks run, for the crash report.
  std::uint32_t timer_site() const { return timer_site_; }

 private:
  boost::dll::shared_library library_;
  Identity identity_;
  std::string file_;
  FileStamp stamp_;
  HostServices& services_;
  bool loaded_ = false;
  std::unique_ptr<Registration> registration_;

  std::mutex timers_mutex_;
  std::map<std::uint64_t, std::weak_ptr<PluginTimer>> timers_;
  std::uint64_t next_timer_id_ = 1;
  bool retired_ = false;
  std::uint32_t timer_site_ = 0;  // set with the first timer, under timers_mutex_
};

}  // namespace actionhost
