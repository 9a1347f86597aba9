#include "net/listener.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "net/plain_session.hpp"
#include "net/tls_session.hpp"

namespace actionhost {

namespace asio = boost::asio;
using asio::ip::tcp;

Result<int> open_listening_socket(const SocketConfig& config) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(config.bind, ec);
  if (ec) {
    return Problem::invalid("socket.bind: \"" + config.bind +
                            "\" is not an IP address; use e.g. \"0.0.0.0\" or \"127.0.0.1\"");
  }
  asio::io_context io;
  tcp::acceptor acceptor(io);
  tcp::endpoint endpoint(address, config.port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Problem::internal("cannot listen on " + config.bind + ":" + std::to_string(config.port) + " (" +
                             ec.message() + "); free the port or choose another with socket.port");
  }
  int fd = acceptor.release(ec);
  if (ec) return Problem::internal("cannot take the listening socket: " + ec.message());
  return fd;
}

Listener::Listener(IoPool& io, const SessionContext& sessions, asio::ssl::context* tls, int listening_fd)
    : io_(io),
      sessions_(sessions),
      tls_(tls),
      listening_fd_(listening_fd),
      acceptor_(io.main()),
      retry_timer_(io.main()) {}

Result<tcp::endpoint> Listener::listen() {
  int fd = listening_fd_;
  if (fd < 0) {
    auto opened = open_listening_socket(sessions_.socket);
    if (!opened) return std::move(opened).problem();
    fd = *opened;
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) {
    return Problem::internal("the listening socket is unusable: " + std::string(std::strerror(errno)));
  }
  boost::system::error_code ec;
  acceptor_.assign(bound.ss_family == AF_INET6 ? tcp::v6() : tcp::v4(), fd, ec);
  if (ec) return Problem::internal("cannot adopt the listening socket: " + ec.message());
  return acceptor_.local_endpoint();
}

void Listener::start() {
  asio::post(io_.main(), [self = shared_from_this()] { self->do_accept(); });
}

void Listener::stop() {
  asio::post(io_.main(), [self = shared_from_this()] {
    boost::system::error_code ec;
    self->acceptor_.close(ec);
    self->retry_timer_.cancel();
  });
}

void Listener::do_accept() {
  asio::io_context& io = io_.next();
  acceptor_.async_accept(
      io, [self = shared_from_this(), &io](const boost::system::error_code& ec, Session::Socket socket) {
        self->on_accept(ec, std::move(socket), io);
      });
}

void Listener::on_accept(const boost::system::error_code& ec, Session::Socket socket, asio::io_context& io) {
  if (!acceptor_.is_open()) return;
  if (ec) {
    // Out of descriptors or memory: pause instead of spinning, then accept again; log at
    // most one line a second, with the count of failed attempts (SPEC §7).
    ++failed_accepts_;
    const auto now = std::chrono::steady_clock::now();
    if (now - last_failure_log_ >= std::chrono::seconds(1)) {
      spdlog::error("accept failed: {} ({} attempts refused since the last such line); retrying every 100 ms",
                    ec.message(), failed_accepts_);
      last_failure_log_ = now;
      failed_accepts_ = 0;
    }
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& e) {
      if (!e) self->do_accept();
    });
    return;
  }
  if (last_failure_log_ != std::chrono::steady_clock::time_point()) {
    spdlog::info("accepting connections again ({} more attempts refused before)", failed_accepts_);
    last_failure_log_ = {};
    failed_accepts_ = 0;
  }
  std::shared_ptr<Session> session;
  if (tls_) {
    session = std::make_shared<TlsSession>(sessions_, io, std::move(socket), *tls_);
  } else {
    session = std::make_shared<PlainSession>(sessions_, io, std::move(socket));
  }
  // Started on its own thread, as everything else it does: its first write is posted there
  // and may fail (a client that reset at once) while this thread would still be starting it.
  asio::post(io, [session = std::move(session)] { session->start(); });
  do_accept();
}

}  // namespace actionhost
