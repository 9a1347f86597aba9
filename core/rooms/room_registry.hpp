#pragma once
// The chat rooms of the process and who is in each (SPEC §4.3, §6).
//
// Ownership: the registry owns room membership; a connection keeps its own list of the
// rooms it joined only for detailsView. Each room's member list is an immutable vector
// behind a shared_ptr, replaced whole on join and leave (copy-on-write): a broadcast takes
// the current list under a short lock, then delivers with no lock held and with no
// allocation per member. Messages broadcast by one thread reach every member in the order
// that thread broadcast them, because delivery queues synchronously into each member.

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "connections/peer.hpp"
#include "util/shared_bytes.hpp"

namespace actionhost {

class RoomRegistry {
 public:
  struct Member {
    std::shared_ptr<Peer> peer;
    std::int64_t joined_at;  // ms since epoch
  };
  using Members = std::vector<Member>;

  enum class JoinResult { joined, no_such_room, already_member };
  enum class LeaveResult { left, no_such_room, not_member };

  // Returns false when the room already exists.
  bool create(std::string_view room);
  bool exists(std::string_view room) const;

  JoinResult join(std::string_view room, std::shared_ptr<Peer> peer, std::int64_t now_ms);
  LeaveResult leave(std::string_view room, const std::string& peer_id);

  // The members when the call was made, in join order; nullopt when there is no such room.
  std::optional<std::shared_ptr<const Members>> members(std::string_view room) const;

  // Queues `bytes` to every member. Returns false when there is no such room.
  bool broadcast(std::string_view room, const SharedBytes& bytes) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using RoomMap =
      std::unordered_map<std::string, std::shared_ptr<const Members>, Hash, std::equal_to<>>;

  mutable std::shared_mutex mutex_;
  RoomMap rooms_;
};

}  // namespace actionhost
