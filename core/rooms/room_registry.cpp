#include "rooms/room_registry.hpp"

#include <algorithm>
#include <mutex>
#include <utility>

namespace actionhost {

Result<> RoomRegistry::create(std::string_view room) {
  std::unique_lock lock(mutex_);
  if (rooms_.find(room) != rooms_.end())
    return Problem::conflict("room already exists (" + std::string(room) + ")");
  if (max_rooms_ != 0 && rooms_.size() >= max_rooms_) {
    return Problem::too_large("too many rooms (max " + std::to_string(max_rooms_) + ")");
  }
  rooms_.emplace(std::string(room), std::make_shared<const Members>());
  return {};
}

bool RoomRegistry::exists(std::string_view room) const {
  std::shared_lock lock(mutex_);
  return rooms_.find(room) != rooms_.end();
}

std::vector<std::string> RoomRegistry::names() const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> names;
  names.reserve(rooms_.size());
  for (const auto& [name, members] : rooms_) names.push_back(name);
  return names;
}

Result<> RoomRegistry::join(std::string_view room, std::shared_ptr<Peer> peer, std::int64_t now_ms) {
  std::unique_lock lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return Problem::not_found("room does not exist");
  const std::string_view id = peer->peer_id();
  auto& entry = rooms_by_member_.try_emplace(id, Joined{peer, {}}).first->second;
  auto& joined = entry.rooms;
  if (std::find(joined.begin(), joined.end(), room) != joined.end()) {
    return Problem::conflict("connection already in this room (" + std::string(room) + ")");
  }
  const Members& current = *it->second;
  if (max_members_per_room_ != 0 && current.size() >= max_members_per_room_) {
    if (joined.empty()) rooms_by_member_.erase(id);
    return Problem::too_large("room is full (max " + std::to_string(max_members_per_room_) + ")");
  }
  auto next = std::make_shared<Members>();
  next->reserve(current.size() + 1);
  *next = current;
  next->push_back({std::move(peer), now_ms});
  it->second = std::move(next);
  joined.emplace_back(room);
  return {};
}

std::shared_ptr<const RoomRegistry::Members> RoomRegistry::remove_member(std::shared_ptr<const Members>& room,
                                                                         const std::string& peer_id) {
  const Members& current = *room;
  auto found = std::find_if(current.begin(), current.end(),
                            [&](const Member& m) { return m.peer->peer_id() == peer_id; });
  if (found == current.end()) return nullptr;
  auto next = std::make_shared<Members>();
  next->reserve(current.size() - 1);
  next->insert(next->end(), current.begin(), found);
  next->insert(next->end(), std::next(found), current.end());
  return std::exchange(room, std::move(next));
}

Result<> RoomRegistry::leave(std::string_view room, const std::string& peer_id) {
  std::shared_ptr<const Members> replaced;  // released after the lock, with its peers
  std::shared_ptr<Peer> member;             // likewise
  std::unique_lock lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return Problem::not_found("room does not exist");
  replaced = remove_member(it->second, peer_id);
  if (!replaced) return Problem::conflict("connection not in this room (" + std::string(room) + ")");
  auto joined = rooms_by_member_.find(peer_id);
  if (joined != rooms_by_member_.end()) {
    auto& list = joined->second.rooms;
    list.erase(std::remove(list.begin(), list.end(), room), list.end());
    if (list.empty()) {
      member = std::move(joined->second.peer);
      rooms_by_member_.erase(joined);
    }
  }
  lock.unlock();
  return {};
}

void RoomRegistry::leave_all(const std::string& peer_id) {
  std::vector<std::shared_ptr<const Members>> replaced;  // released after the lock
  std::shared_ptr<Peer> member;                          // likewise
  std::unique_lock lock(mutex_);
  auto joined = rooms_by_member_.find(peer_id);
  if (joined == rooms_by_member_.end()) return;
  for (const auto& room : joined->second.rooms) {
    if (auto it = rooms_.find(room); it != rooms_.end()) {
      if (auto list = remove_member(it->second, peer_id)) replaced.push_back(std::move(list));
    }
  }
  member = std::move(joined->second.peer);
  rooms_by_member_.erase(joined);
  lock.unlock();
}

bool RoomRegistry::is_member(std::string_view room, const std::string& peer_id) const {
  std::shared_lock lock(mutex_);
  auto joined = rooms_by_member_.find(peer_id);
  return joined != rooms_by_member_.end() && std::find(joined->second.rooms.begin(), joined->second.rooms.end(),
                                                       room) != joined->second.rooms.end();
}

std::vector<std::string> RoomRegistry::rooms_of(const std::string& peer_id) const {
  std::shared_lock lock(mutex_);
  auto joined = rooms_by_member_.find(peer_id);
  return joined == rooms_by_member_.end() ? std::vector<std::string>{} : joined->second.rooms;
}

std::optional<std::shared_ptr<const RoomRegistry::Members>> RoomRegistry::members(std::string_view room) const {
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
