#pragma once
// What connections, actions and plugins share with the rest of the process. Owned by the
// Server, which outlives every session, request and plugin; each member is thread-safe on
// its own.

#include <atomic>
#include <cstdint>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "actions/action_registry.hpp"
#include "cache/memory_cache.hpp"
#include "config/config.hpp"
#include "connections/connection_table.hpp"
#include "rooms/room_registry.hpp"

namespace actionhost {

struct Services {
  const Config& config;
  RoomRegistry& rooms;
  ConnectionTable& connections;
  ActionRegistry& actions;
  MemoryCache& cache;
  boost::asio::io_context& io;
  boost::asio::thread_pool& workers;  // runs actions that declare themselves blocking
  std::string server_id;
  std::int64_t started_at = 0;  // ms since epoch

  std::atomic<bool> shutting_down{false};
  std::atomic<std::uint64_t> actions_served{0};  // answered since start, errors included
  std::atomic<std::int64_t> actions_in_flight{0};
  std::atomic<std::uint64_t> reloads{0};
  std::atomic<std::uint64_t> reloads_refused{0};
};

}  // namespace actionhost
