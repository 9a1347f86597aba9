#pragma once
// The protocol state of one client connection (SPEC §4.1). Owned by its session and
// touched only on that session's strand.

#include <cstdint>
#include <string>
#include <vector>

#include "connections/sticky_params.hpp"

namespace actionhost {

struct Connection {
  std::string id;  // UUID v4
  std::string remote_ip;
  std::uint16_t remote_port = 0;
  std::int64_t connected_at = 0;  // ms since epoch
  StickyParams params;
  std::vector<std::string> rooms;  // in the order they were joined
  std::uint64_t total_actions = 0;
  std::uint64_t pending_actions = 0;
  std::uint64_t message_count = 0;
};

}  // namespace actionhost
