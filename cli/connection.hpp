#pragma once
// One connection to the server, over TCP or TLS, driven by an Asio io_context on the
// calling thread: connect (resolve, connect, handshake) within a deadline, then a stream of
// received bytes and a queue of bytes to send.

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>

namespace actionhost::cli {

struct Target {
  std::string host;
  std::uint16_t port = 0;
  bool tls = false;
  bool insecure = false;  // TLS without checking the certificate
  std::string ca_file;    // TLS: trust these instead of the system's certificate authorities

  // "HOST:PORT", "[v6]:PORT" for an IPv6 address.
  std::string address() const;
};

class Connection {
 public:
  Connection(boost::asio::io_context& io, Target target);

  const Target& target() const { return target_; }

  // Calls `done("")` once connected (and, for TLS, after the handshake), or `done(reason)`:
  // why it could not connect, for a person to read.
  void connect(std::chrono::seconds timeout, std::function<void(std::string reason)> done);

  // Calls `on_bytes` with each chunk received, then once `on_end("")` when the server closes
  // the connection, or `on_end(reason)` on an error.
  void start_reading(std::function<void(std::string_view)> on_bytes, std::function<void(std::string)> on_end);

  void write(std::string bytes);
  void close();

 private:
  using Socket = boost::asio::ip::tcp::socket;

  std::string setup_tls();  // "" or what went wrong
  void resolved(const boost::asio::ip::tcp::resolver::results_type& endpoints);
  void connect_failed(const std::string& step, const boost::system::error_code& ec);
  void connect_ended(const std::string& failure);  // "" when connected
  void read_more();
  void write_next();
  std::string handshake_failure(const boost::system::error_code& error);

  boost::asio::io_context& io_;
  Target target_;
  boost::asio::ssl::context tls_context_{boost::asio::ssl::context::tls_client};
  boost::asio::ssl::stream<Socket> stream_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  std::function<void(std::string)> connect_done_;
  std::chrono::seconds connect_timeout_{0};
  bool timed_out_ = false;
  bool closed_ = false;

  std::function<void(std::string_view)> on_bytes_;
  std::function<void(std::string)> on_end_;
  char read_buffer_[16384];
  std::deque<std::string> writes_;
};

}  // namespace actionhost::cli
