#pragma once
// The host services every plugin receives in on_load (abi.h's ah_host_api), backed by the
// parts of the server it reaches through HostServices. Each entry catches everything:
// nothing throws into a plugin. Inside, failures are Problems; here, at the C boundary, they
// become ah_status codes.
//
// Two tables: ABI version 2's, whose every call names its plugin, request, hook or
// connection; and version 1's (plugins/abi_v1.hpp), kept for plugins built against the old
// header. Version 1's cache, chat and server calls carry no handle, so that table alone
// reaches the services of the last server that asked for the tables (one per process).

#include <map>
#include <string>

#include <actionhost/abi.h>

#include "actions/action_registry.hpp"
#include "connections/connection_table.hpp"
#include "plugins/abi_v1.hpp"
#include "plugins/plugin_timers.hpp"
#include "rooms/room_registry.hpp"
#include "services/cache_service.hpp"
#include "services/chat_service.hpp"
#include "status/server_status.hpp"
#include "util/json.hpp"

namespace actionhost {

// What the host services reach; owned by the Server, which outlives every plugin.
struct HostServices {
  CacheService& cache;
  ChatService& chat;
  const ActionRegistry& actions;
  const ConnectionTable& connections;  // counted by status; connections by id
  const ServerStatus& status;
  TimerService& timers;     // runs plugin timers
  std::string plugins_dir;  // plugins.dir, for the quarantined files status reports
  // [plugins.config.NAME] settings by plugin name; null: none.
  const std::map<std::string, Json, std::less<>>* plugin_settings = nullptr;
};

struct HostTables {
  const ah_host_api* v2 = nullptr;
  const abi_v1::HostApi* v1 = nullptr;
  HostServices* services = nullptr;
};

// The tables for `services` (see above for version 1's).
HostTables host_tables(HostServices& services);

// The server's state as the status action reports it (ah_host_api::server_status).
Json server_status(const HostServices& services);

}  // namespace actionhost
