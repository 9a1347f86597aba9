#pragma once
// The chat rooms of the process and who is in each (SPEC §4.3, §6). The one owner of room
// membership: a connection's rooms are asked of it, never stored beside it.
//
// Each room's member list is an immutable vector behind a shared_ptr, replaced whole on join
// and leave (copy-on-write): a broadcast takes the current list under a short lock, then
// delivers with no lock held and with no allocation per member. Messages broadcast by one
// thread reach every member in the order that thread broadcast them, because delivery
// queues synchronously into each member. Beside the lists, each member's rooms in the order
// it joined them, kept in step under the same lock. Thread-safe.

#include <cstdint>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "connections/peer.hpp"
#include "util/result.hpp"
#include "util/shared_bytes.hpp"

namespace actionhost {

class RoomRegistry {
 public:
  struct Member {
    std::shared_ptr<Peer> peer;
    std::int64_t joined_at;  // ms since epoch
  };
  using Members = std::vector<Member>;

  // 0 = no limit (chat.max_rooms, chat.max_members_per_room).
  explicit RoomRegistry(std::size_t max_rooms = 0, std::size_t max_members_per_room = 0)
      : max_rooms_(max_rooms), max_members_per_room_(max_members_per_room) {}

  // A conflict Problem when the room already exists; "too many rooms (max N)" past
  // max_rooms.
  Result<> create(std::string_view room);
  bool exists(std::string_view room) const;
  // Every room's name, in no particular order.
  std::vector<std::string> names() const;

  // Problems, in the SPEC's words: "room does not exist", "connection already in this room
  // (ROOM)" / "connection not in this room (ROOM)", "room is full (max N)".
  Result<> join(std::string_view room, std::shared_ptr<Peer> peer, std::int64_t now_ms);
  Result<> leave(std::string_view room, const std::string& peer_id);
  // Leaves every room `peer_id` is in; for its close.
  void leave_all(const std::string& peer_id);

  bool is_member(std::string_view room, const std::string& peer_id) const;
  // The rooms `peer_id` is in, in the order it joined them.
  std::vector<std::string> rooms_of(const std::string& peer_id) const;

  // The members when the call was made, in join order; nullopt when there is no such room.
  std::optional<std::shared_ptr<const Members>> members(std::string_view room) const;

  // Queues `bytes` to every member. Returns false when there is no such room.
  bool broadcast(std::string_view room, const SharedBytes& bytes) const;

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class V>
  using Map = std::unordered_map<std::string, V, Hash, std::equal_to<>>;

  // Removes `peer_id` from `room`'s list; returns the list it replaced (to be released
  // after the lock, with its peers), or null when it was not a member. Under the lock.
  std::shared_ptr<const Members> remove_member(std::shared_ptr<const Members>& room,
                                               const std::string& peer_id);

  const std::size_t max_rooms_;
  const std::size_t max_members_per_room_;
  mutable std::shared_mutex mutex_;
  Map<std::shared_ptr<const Members>> rooms_;
  // A member's rooms, in join order. Keyed by a view of the peer's own id, which the entry
  // keeps alive: no copy of the id per connection.
  struct Joined {
    std::shared_ptr<Peer> peer;
    std::vector<std::string> rooms;
  };
  std::unordered_map<std::string_view, Joined, Hash, std::equal_to<>> rooms_by_member_;
};

}  // namespace actionhost
