#include "net/listener.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include "net/session.hpp"
#include "net/tls_context.hpp"

namespace actionhost {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(IoPool& io, Services& services, asio::ssl::context* tls)
    : io_(io),
      services_(services),
      tls_(tls),
      strand_(asio::make_strand(io.main())),
      acceptor_(strand_),
      retry_timer_(strand_) {}

tcp::endpoint Listener::listen() {
  const auto& config = services_.config.socket;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(config.bind, ec);
  if (ec) {
    throw StartupError("socket.bind: \"" + config.bind +
                       "\" is not an IP address; use e.g. \"0.0.0.0\" or \"127.0.0.1\"");
  }
  tcp::endpoint endpoint(address, config.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw StartupError("cannot listen on " + config.bind + ":" + std::to_string(config.port) +
                       " (" + ec.message() +
                       "); free the port or choose another with socket.port");
  }
  return acceptor_.local_endpoint();
}

void Listener::start() {
  asio::post(strand_, [self = shared_from_this()] { self->do_accept(); });
}

void Listener::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->retry_timer_.cancel();
  });
}

void Listener::do_accept() {
  acceptor_.async_accept(asio::make_strand(io_.next()),
                         [self = shared_from_this()](const boost::system::error_code& ec,
                                                     tcp::socket socket) {
                           self->on_accept(ec, std::move(socket));
                         });
}

void Listener::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (!acceptor_.is_open()) return;
  if (ec) {
    // Out of descriptors or memory: pause instead of spinning, then accept again.
    spdlog::error("accept failed: {}; retrying in 100 ms", ec.message());
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
      if (!e) self->do_accept();
    });
    return;
  }
  auto session = tls_ ? std::make_shared<Session>(Stream(std::move(socket), *tls_), services_)
                      : std::make_shared<Session>(Stream(std::move(socket)), services_);
  session->start();
  do_accept();
}

}  // namespace actionhost
