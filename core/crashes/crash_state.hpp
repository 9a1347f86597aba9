#pragma once
// What a server process shares with its supervisor (SPEC §8), in memory mapped before the
// fork, so that it survives the server's crash: which plugin code each thread is running,
// whether the server got as far as serving, and, written by the supervisor before it starts
// a server, the crash count and the quarantined plugin files.
//
// Plain data and lock-free atomics only: the server writes it on its hot path and the
// supervisor reads it after the server died, whatever state the server was in.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace actionhost {

struct CrashSite {  // a place plugin code runs from
  char file[128];   // the plugin's file name in plugins.dir
  char what[96];    // the action's name, or "timer", "on_load", "on_unload"
  char kind[16];    // "action", or the same as `what`
};

struct QuarantinedFile {
  char file[128];
  std::uint64_t size;
  std::int64_t modified_ns;
  char signal[16];  // "SIGSEGV"
  char action[96];  // what was running: the action's name, or "timer", "on_load", …
  std::int64_t at;  // ms since epoch
};

struct CrashState {
  static constexpr std::uint32_t kSites = 4096;
  static constexpr std::uint32_t kThreads = 256;
  static constexpr std::uint32_t kQuarantined = 64;

  // Written by the server.
  std::atomic<std::uint32_t> serving;
  std::atomic<std::uint32_t> site_count;
  std::atomic<std::uint32_t> thread_count;
  std::atomic<std::uint32_t> running[kThreads];  // per thread: site index + 1; 0 = no plugin code
  // Set by the crash handler, on the thread that faulted: 1, and what that thread ran
  // (its running slot; 0 = no plugin code), so that a fault is never blamed on a plugin
  // another thread happened to be running.
  std::atomic<std::uint32_t> fault_recorded;
  std::atomic<std::uint32_t> fault_site;
  CrashSite sites[kSites];

  // Written by the supervisor while no server runs.
  std::uint32_t crashes;
  std::uint32_t quarantined_count;
  QuarantinedFile quarantined[kQuarantined];
};

// Copies `text` into a fixed field, cut to fit, always NUL-terminated.
template <std::size_t N>
void copy_field(char (&field)[N], std::string_view text) {
  const std::size_t n = std::min(N - 1, text.size());
  std::memcpy(field, text.data(), n);
  field[n] = '\0';
}

}  // namespace actionhost
