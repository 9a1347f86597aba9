#pragma once
// The protocol state of one client connection (SPEC §4.1). Owned by the connection's
// RequestHandler, which alone changes it, on the connection's I/O thread. Its rooms are
// not here: RoomRegistry owns membership.

#include <cstdint>
#include <string>

#include "connections/sticky_params.hpp"

namespace actionhost {

struct Connection {
  std::string id;  // UUID v4
  std::string remote_ip;
  std::uint16_t remote_port = 0;
  std::int64_t connected_at = 0;  // ms since epoch
  StickyParams params;
  std::uint64_t total_actions = 0;
  std::uint64_t pending_actions = 0;
  std::uint64_t message_count = 0;
};

}  // namespace actionhost
