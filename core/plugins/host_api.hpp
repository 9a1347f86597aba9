#pragma once
// The host services table every plugin receives in on_load (abi.h's ah_host_api), backed by
// the parts of the server it reaches through HostServices. Each entry catches everything:
// nothing throws into a plugin. Inside, failures are Problems; here, at the C boundary, they
// become ah_status codes.

#include <boost/asio/io_context.hpp>

#include <actionhost/abi.h>

#include "actions/action_registry.hpp"
#include "cache/memory_cache.hpp"
#include "connections/connection_table.hpp"
#include "plugins/plugin_timers.hpp"
#include "rooms/room_registry.hpp"
#include "status/server_status.hpp"
#include "util/json.hpp"

namespace actionhost {

// What the host services reach; owned by the Server, which outlives every plugin.
struct HostServices {
  MemoryCache& cache;
  RoomRegistry& rooms;
  const ActionRegistry& actions;
  const ConnectionTable& connections;  // counted by status
  const ServerStatus& status;
  TimerService& timers;     // runs plugin timers
  std::string plugins_dir;  // plugins.dir, for the quarantined files status reports
};

// The table for `services`. One server per process: a second call replaces the services
// the table reaches (ABI version 1's calls carry no handle that could tell servers apart).
const ah_host_api* host_api(HostServices& services);

// The server's state as the status action reports it (ah_host_api::server_status).
Json server_status(const HostServices& services);

}  // namespace actionhost
