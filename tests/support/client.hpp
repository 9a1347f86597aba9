#pragma once
// A test client of the actionhero socket protocol, over TCP or TLS, with a deadline on
// every read so a missing answer fails the test instead of hanging it.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <nlohmann/json.hpp>

namespace actionhost::test {

using Json = nlohmann::ordered_json;
using namespace std::chrono_literals;

class Client {
 public:
  struct Options {
    bool tls = false;
    int receive_buffer_bytes = 0;  // > 0: SO_RCVBUF before connecting
  };

  // Connects and reads the first line the server sends (the welcome, or the refusal
  // when the server is full), available as first_line().
  explicit Client(std::uint16_t port) : Client(port, Options{}) {}
  Client(std::uint16_t port, Options options);

  void send(const std::string& bytes);
  void send_line(const std::string& line) { send(line + "\n"); }

  // The next line without its "\r\n"; nullopt when the server closed the connection or
  // nothing came within `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 10s);
  // The next line, parsed; fails the test when there is none.
  Json read_json(std::chrono::milliseconds timeout = 10s);
  // Sends one request line and reads the next line as its answer.
  Json request(const std::string& line);

  // True when the server closes the connection (after any lines still unread, which are
  // dropped) within `timeout`.
  bool closed_by_server(std::chrono::milliseconds timeout = 10s);

  std::uint16_t local_port() const;
  // Bytes written so far, and bytes of the lines read so far (the welcome included).
  std::size_t bytes_sent() const { return bytes_sent_; }
  std::size_t bytes_read() const { return bytes_read_; }
  const Json& first_line() const { return first_line_; }

 private:
  enum class ReadResult { line, closed, timeout };
  ReadResult read_raw_line(std::string& line, std::chrono::milliseconds timeout);

  boost::asio::io_context io_;
  boost::asio::ssl::context tls_context_{boost::asio::ssl::context::tls_client};
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream_;
  bool tls_;
  std::string buffer_;
  Json first_line_;
  std::size_t bytes_sent_ = 0;
  std::size_t bytes_read_ = 0;
};

}  // namespace actionhost::test
