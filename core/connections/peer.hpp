#pragma once
// The face a connection shows to the rest of the server: rooms deliver chat to it, actions
// hand it their answers, the server's shutdown says goodbye to it, plugins attach data to it
// and look at it (through ah_connection). Implemented by Session.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "connections/connection_data.hpp"

#include "util/shared_bytes.hpp"

namespace actionhost {

class Peer : public std::enable_shared_from_this<Peer> {
 public:
  virtual ~Peer() = default;

  // The connection's UUID; fixed for its lifetime.
  virtual const std::string& peer_id() const = 0;
  // Where the client connects from; fixed before anyone else sees the peer.
  virtual const std::string& remote_ip() const = 0;
  virtual std::uint16_t remote_port() const = 0;

  // The rooms it is in, in join order. Any thread.
  virtual std::vector<std::string> rooms() const = 0;

  // What plugins attach to the connection. Any thread.
  ConnectionData& data() { return data_; }

  // Queues bytes for the client. Callable from any thread; never blocks on I/O. Bytes
  // queued by one thread reach the client in the order they were queued.
  virtual void deliver(SharedBytes bytes) = 0;

  // The answer to one of this connection's actions: the action no longer counts as
  // pending, and the answer is queued. Callable from any thread.
  virtual void complete_action(SharedBytes answer) = 0;

  // Sends the goodbye line and closes. Callable from any thread; idempotent.
  virtual void close_with_goodbye() = 0;

 private:
  ConnectionData data_;
};

}  // namespace actionhost
