#pragma once
// What every connection shares with the rest of the process. Owned by the Server, which
// outlives every session; each member is thread-safe on its own.

#include <atomic>

#include "actions/action_catalog.hpp"
#include "config/config.hpp"
#include "connections/connection_table.hpp"
#include "rooms/room_registry.hpp"

namespace actionhost {

struct Services {
  const Config& config;
  RoomRegistry& rooms;
  ConnectionTable& connections;
  const ActionCatalog& actions;
  std::atomic<bool> shutting_down{false};
};

}  // namespace actionhost
