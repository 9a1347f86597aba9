#pragma once
// The running server: owns the I/O threads, the shared state and the listener.
//
// Threading model
// ---------------
// One boost::asio::io_context is run by server.threads threads (one per core when 0).
// Each connection is a Session bound to a strand of its own: its reads, request handling
// and writes run one at a time, in order, on whichever thread is free, and its protocol
// state (sticky params, counters, its list of rooms) is touched only there. What several
// connections share has one owner each, with a lock held only for bookkeeping, never
// across I/O or a call into a connection:
//   - RoomRegistry owns room membership (copy-on-write member lists, so a broadcast
//     reads a snapshot and delivers with no lock held);
//   - ConnectionTable owns the set of admitted connections (limits, counts, shutdown);
//   - each Session's Outbox owns the bytes queued for that client; any thread may queue
//     into it, only the session's strand writes from it.
// Signals (SIGINT, SIGTERM) are handled on the io_context like any other event.

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>

#include "actions/action_catalog.hpp"
#include "app/services.hpp"
#include "config/config.hpp"
#include "connections/connection_table.hpp"
#include "rooms/room_registry.hpp"

namespace actionhost {

class Listener;

class Server {
 public:
  // Throws StartupError when something the config names cannot be used.
  explicit Server(Config config);
  ~Server();

  // Listens, serves until SIGINT/SIGTERM or stop(), then shuts down gracefully.
  void run();
  // Begins the graceful shutdown. Thread-safe.
  void stop();

  const std::string& id() const { return id_; }

 private:
  void begin_shutdown();
  int thread_count() const;

  Config config_;
  std::string id_;
  RoomRegistry rooms_;
  ConnectionTable connections_;
  ActionCatalog actions_;
  Services services_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::signal_set signals_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace actionhost
