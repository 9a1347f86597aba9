#include "connections/connection_table.hpp"

namespace actionhost {

ConnectionTable::Admission ConnectionTable::add(const std::shared_ptr<Peer>& peer, std::size_t limit,
                                                std::size_t per_address_limit) {
  std::lock_guard lock(mutex_);
  if (limit != 0 && peers_.size() >= limit) return Admission::full;
  std::size_t& from_address = per_address_[peer->remote_ip()];
  if (per_address_limit != 0 && from_address >= per_address_limit) {
    if (from_address == 0) per_address_.erase(peer->remote_ip());
    return Admission::full_for_address;
  }
  ++from_address;
  peers_.emplace(peer->peer_id(), peer);
  return Admission::admitted;
}

void ConnectionTable::remove(const std::string& peer_id) {
  std::shared_ptr<Peer> removed;  // released after the lock: it may be the last reference
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer_id);
  if (it == peers_.end()) return;
  removed = std::move(it->second);
  peers_.erase(it);
  if (auto counted = per_address_.find(removed->remote_ip()); counted != per_address_.end()) {
    if (--counted->second == 0) per_address_.erase(counted);
  }
}

std::size_t ConnectionTable::size() const {
  std::lock_guard lock(mutex_);
  return peers_.size();
}

std::shared_ptr<Peer> ConnectionTable::find(std::string_view peer_id) const {
  std::lock_guard lock(mutex_);
  auto it = peers_.find(peer_id);
  return it == peers_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<Peer>> ConnectionTable::snapshot() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Peer>> peers;
  peers.reserve(peers_.size());
  for (const auto& [id, peer] : peers_) peers.push_back(peer);
  return peers;
}

}  // namespace actionhost
