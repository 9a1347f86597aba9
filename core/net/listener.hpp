#pragma once
// Accepts clients on socket.bind:socket.port and starts a session for each (PlainSession, or
// TlsSession when given a TLS context), each bound to the I/O pool's next thread.

#include <chrono>
#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/io_pool.hpp"
#include "net/session.hpp"
#include "util/result.hpp"

namespace actionhost {

// A listening socket on socket.bind:socket.port (backlog: the system's maximum), as a
// descriptor: what a supervisor opens and its server inherits. A Problem naming the address.
Result<int> open_listening_socket(const SocketConfig& config);

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // `tls` is null for plain TCP; otherwise it outlives the listener and every session, as
  // `sessions` does. Accepts on the pool's main context. `listening_fd`, when not -1, is a
  // listening socket to adopt (from open_listening_socket, in the supervisor).
  Listener(IoPool& io, const SessionContext& sessions, boost::asio::ssl::context* tls, int listening_fd = -1);

  // Listens: the bound endpoint (with the real port when socket.port = 0), or a Problem
  // naming the address.
  Result<boost::asio::ip::tcp::endpoint> listen();
  void start();
  // Stops accepting; connections already accepted are not touched. Thread-safe.
  void stop();

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, Session::Socket socket, boost::asio::io_context& io);

  IoPool& io_;
  const SessionContext& sessions_;
  boost::asio::ssl::context* tls_;
  int listening_fd_;
  boost::asio::ip::tcp::acceptor acceptor_;  // on the main context, like retry_timer_
  boost::asio::steady_timer retry_timer_;
  // Failed accepts (EMFILE…) since the last line logged about them, and when that was.
  std::uint64_t failed_accepts_ = 0;
  std::chrono::steady_clock::time_point last_failure_log_{};
};

}  // namespace actionhost
