#pragma once
// Who the server is and what it has done since it started: the figures the status action
// reports (SPEC §4.4) and the shutdown flag every layer checks. Owned by the Server; every
// counter is written by one layer (named beside it) and read by any.

#include <atomic>
#include <cstdint>
#include <string>

#include "status/request_counters.hpp"

namespace actionhost {

struct ServerStatus {
  ServerStatus(std::string id, std::int64_t start_ms) : server_id(std::move(id)), started_at(start_ms) {}

  const std::string server_id;
  const std::int64_t started_at;  // ms since epoch

  std::atomic<bool> shutting_down{false};          // set by app; new actions are refused
  RequestCounters requests;                        // dispatch (actions), net (bytes)
  std::atomic<std::int64_t> actions_in_flight{0};  // dispatch: started and not yet answered
  std::atomic<std::uint64_t> reloads{0};           // plugins: loads and unloads after start-up
  std::atomic<std::uint64_t> reloads_refused{0};   // plugins: files refused after start-up
  // plugins: every load of a file since this process started, start-up included, by result.
  std::atomic<std::uint64_t> plugin_loads_loaded{0};
  std::atomic<std::uint64_t> plugin_loads_refused{0};      // the file is not a plugin it can serve
  std::atomic<std::uint64_t> plugin_loads_quarantined{0};  // refused: the file is quarantined (§8)
};

}  // namespace actionhost
