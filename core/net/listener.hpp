#pragma once
// Accepts clients on socket.bind:socket.port and starts a Session for each, every session
// on a strand of its own.

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "net/io_pool.hpp"

#include "app/services.hpp"

namespace actionhost {

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  // `tls` is null for plain TCP; otherwise it outlives the listener and every session.
  // Accepts on the pool's main context; each session goes to the pool's next one.
  Listener(IoPool& io, Services& services, boost::asio::ssl::context* tls);

  // Binds and listens; throws StartupError naming the address when that fails. Returns
  // the bound endpoint (with the real port when socket.port = 0).
  boost::asio::ip::tcp::endpoint listen();
  void start();
  // Stops accepting; connections already accepted are not touched. Thread-safe.
  void stop();

 private:
  void do_accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);

  IoPool& io_;
  Services& services_;
  boost::asio::ssl::context* tls_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_timer_;
};

}  // namespace actionhost
