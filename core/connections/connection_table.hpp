#pragma once
// Every connection of the process that has been admitted (TLS handshake included), for
// max_connections, the status count and shutdown. Thread-safe; the lock is held only
// for bookkeeping, never while calling into a peer.

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "connections/peer.hpp"

namespace actionhost {

class ConnectionTable {
 public:
  // Admits `peer` unless `limit` (0 = none) peers are already in; false when full.
  bool add(const std::shared_ptr<Peer>& peer, std::size_t limit);
  void remove(const std::string& peer_id);
  std::size_t size() const;
  // The admitted peer with this id, or null.
  std::shared_ptr<Peer> find(std::string_view peer_id) const;

  // A copy of the admitted peers, to act on them without holding the lock.
  std::vector<std::shared_ptr<Peer>> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Peer>> peers_;
};

}  // namespace actionhost
