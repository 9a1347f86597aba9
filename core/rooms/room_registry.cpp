#include "rooms/room_registry.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

namespace actionhost {

bool RoomRegistry::create(std::string_view room) {
  std::unique_lock lock(mutex_);
  return rooms_.try_emplace(std::string(room), std::make_shared<const Members>()).second;
}

bool RoomRegistry::exists(std::string_view room) const {
  std::shared_lock lock(mutex_);
  return rooms_.find(room) != rooms_.end();
}

RoomRegistry::JoinResult RoomRegistry::join(std::string_view room, std::shared_ptr<Peer> peer,
                                            std::int64_t now_ms) {
  std::unique_lock lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return JoinResult::no_such_room;
  const Members& current = *it->second;
  const std::string& id = peer->peer_id();
  if (std::any_of(current.begin(), current.end(),
                  [&](const Member& m) { return m.peer->peer_id() == id; })) {
    return JoinResult::already_member;
  }
  auto next = std::make_shared<Members>();
  next->reserve(current.size() + 1);
  *next = current;
  next->push_back({std::move(peer), now_ms});
  it->second = std::move(next);
  return JoinResult::joined;
}

RoomRegistry::LeaveResult RoomRegistry::leave(std::string_view room, const std::string& peer_id) {
  std::shared_ptr<const Members> replaced;  // released after the lock, with its peers
  std::unique_lock lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return LeaveResult::no_such_room;
  const Members& current = *it->second;
  auto found = std::find_if(current.begin(), current.end(),
                            [&](const Member& m) { return m.peer->peer_id() == peer_id; });
  if (found == current.end()) return LeaveResult::not_member;
  auto next = std::make_shared<Members>();
  next->reserve(current.size() - 1);
  next->insert(next->end(), current.begin(), found);
  next->insert(next->end(), std::next(found), current.end());
  replaced = std::exchange(it->second, std::move(next));
  lock.unlock();
  return LeaveResult::left;
}

std::optional<std::shared_ptr<const RoomRegistry::Members>> RoomRegistry::members(
    std::string_view room) const {
  std::shared_lock lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return std::nullopt;
  return it->second;
}

bool RoomRegistry::broadcast(std::string_view room, const SharedBytes& bytes) const {
  auto list = members(room);
  if (!list) return false;
  for (const Member& member : **list) member.peer->deliver(bytes);
  return true;
}

}  // namespace actionhost
