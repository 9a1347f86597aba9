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
  enum class Admission { admitted, full, full_for_address };
  // Admits `peer` unless `limit` peers are already in, or `per_address_limit` from its
  // remote address (0 = no limit).
  Admission add(const std::shared_ptr<Peer>& peer, std::size_t limit, std::size_t per_address_limit = 0);
  void remove(const std::string& peer_id);
  std::size_t size() const;
  // The admitted peer with this id, or null.
  std::shared_ptr<Peer> find(std::string_view peer_id) const;

  // A copy of the admitted peers, to act on them without holding the lock.
  std::vector<std::shared_ptr<Peer>> snapshot() const;

 private:
  mutable std::mutex mutex_;
  // Keyed by a view of the peer's own id, which the value keeps alive: no copy of the id
  // per connection (it is longer than a string's inline capacity).
  std::unordered_map<std::string_view, std::shared_ptr<Peer>> peers_;
  std::unordered_map<std::string, std::size_t> per_address_;  // remote address → admitted peers
};

}  // namespace actionhost
