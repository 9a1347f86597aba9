#pragma once
// Which plugin code each thread is running, recorded where the supervisor can read it after a
// crash (SPEC §8). Costs two relaxed stores per call into a plugin: the thread's slot is
// found once, the site (file and action) is registered once, when the plugin loads.

#include <cstdint>
#include <string_view>

#include "crashes/crash_state.hpp"

namespace actionhost::crash {

// The state this process records into (the one shared with its supervisor, or a private
// one). Call once, before any thread that runs plugin code starts.
void attach(CrashState* state);
CrashState* state();

// Registers a place plugin code runs from: an action (`kind` "action", `what` its name) or
// "timer", "on_load", "on_unload" (`what` = `kind`). Its id for RunningPlugin (0: not
// recorded); the same place again gives the same id. Called on the plugin manager's thread
// (timers: under their library's lock).
std::uint32_t register_site(std::string_view file, std::string_view kind, std::string_view what);
inline std::uint32_t register_site(std::string_view file, std::string_view kind) {
  return register_site(file, kind, kind);
}

// In the crash handler, on the faulting thread: records what this thread was running into
// the state (async-signal-safe: two atomic stores and a thread_local read).
void record_fault() noexcept;

// A registered site (nullptr: 0, or out of range).
const CrashSite* site(std::uint32_t id);

// While it exists, this thread is recorded as running plugin code from `site`.
class RunningPlugin {
 public:
  explicit RunningPlugin(std::uint32_t site) noexcept;
  ~RunningPlugin();
  RunningPlugin(const RunningPlugin&) = delete;
  RunningPlugin& operator=(const RunningPlugin&) = delete;

 private:
  std::atomic<std::uint32_t>* slot_ = nullptr;
  std::uint32_t previous_ = 0;
};

}  // namespace actionhost::crash
