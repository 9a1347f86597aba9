#pragma once
// One client's byte stream, plain TCP or TLS over TCP, behind one interface so that a
// session runs the same code for both (SPEC §4, socket.secure).

#include <variant>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

namespace actionhost {

namespace asio = boost::asio;

class Stream {
 public:
  using Tcp = asio::ip::tcp::socket;
  using Tls = asio::ssl::stream<Tcp>;

  explicit Stream(Tcp socket) : stream_(std::move(socket)) {}
  Stream(Tcp socket, asio::ssl::context& tls) : stream_(std::in_place_type<Tls>, std::move(socket), tls) {}

  bool is_tls() const { return std::holds_alternative<Tls>(stream_); }

  Tcp& socket() {
    return is_tls() ? std::get<Tls>(stream_).next_layer() : std::get<Tcp>(stream_);
  }
  Tcp::executor_type get_executor() { return socket().get_executor(); }

  // TLS only: the server side of the handshake.
  template <class Handler>
  void async_handshake(Handler&& handler) {
    std::get<Tls>(stream_).async_handshake(asio::ssl::stream_base::server,
                                           std::forward<Handler>(handler));
  }

  template <class MutableBuffer, class Handler>
  void async_read_some(const MutableBuffer& buffer, Handler&& handler) {
    std::visit([&](auto& s) { s.async_read_some(buffer, std::forward<Handler>(handler)); },
               stream_);
  }

  // Writes all of `buffers`.
  template <class ConstBuffers, class Handler>
  void async_write(const ConstBuffers& buffers, Handler&& handler) {
    std::visit([&](auto& s) { asio::async_write(s, buffers, std::forward<Handler>(handler)); },
               stream_);
  }

 private:
  std::variant<Tcp, Tls> stream_;
};

}  // namespace actionhost
