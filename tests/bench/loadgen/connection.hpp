#pragma once
// One client connection of the load generator: a non-blocking socket, plain or TLS, with
// a buffer of bytes not yet sent and a buffer of bytes received but not yet split into
// lines. Connecting (and the TLS handshake) is blocking; everything after is driven by
// the event loop in loadgen.cpp.

#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace loadgen {

class Connection {
 public:
  // Connects to host:port (blocking), with TLS when ssl_ctx is set. Throws on failure.
  Connection(const std::string& host, int port, SSL_CTX* ssl_ctx);
  // Starts a non-blocking connect with no TLS, for the idle mode's many connections.
  static Connection start_nonblocking(const std::string& host, int port);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  ~Connection();

  int fd() const { return fd_; }

  // Queues bytes and sends what the socket takes now. False when the peer is gone.
  bool send(std::string_view bytes);
  // Sends what is still queued; true while something remains (wait for EPOLLOUT).
  bool flush_pending(bool& failed);
  bool wants_write() const { return !out_.empty(); }

  // Reads what is available: one read, another only when it filled the buffer or OpenSSL
  // still holds decrypted bytes (epoll is level-triggered, so bytes left in the socket are
  // reported again). False when the peer closed or an error occurred. Calls on_line(line) for each complete line (without "\r\n").
  template <class OnLine>
  bool receive(OnLine&& on_line);

 private:
  explicit Connection(int fd) : fd_(fd) {}
  long read_some(char* buffer, std::size_t size);  // >0 bytes, 0 would block, -1 closed

  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string out_;
  std::string in_;
};

template <class OnLine>
bool Connection::receive(OnLine&& on_line) {
  char buffer[64 * 1024];
  for (;;) {
    long n = read_some(buffer, sizeof buffer);
    if (n < 0) return false;
    if (n == 0) return true;
    std::string_view data(buffer, static_cast<std::size_t>(n));
    std::size_t start = 0;
    if (!in_.empty()) {  // finish the line left over from the last read
      auto end = data.find('\n');
      if (end == std::string_view::npos) {
        in_.append(data);
        continue;
      }
      in_.append(data.substr(0, end));
      std::string_view line(in_);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      on_line(line);
      in_.clear();
      start = end + 1;
    }
    for (;;) {
      auto end = data.find('\n', start);
      if (end == std::string_view::npos) break;
      std::string_view line = data.substr(start, end - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      on_line(line);
      start = end + 1;
    }
    in_.append(data.substr(start));
    // A short read drained the socket (and OpenSSL holds no decrypted bytes): stop here
    // rather than pay a read that would block; level-triggered epoll reports more.
    if (static_cast<std::size_t>(n) < sizeof buffer && !(ssl_ && SSL_pending(ssl_) > 0)) return true;
  }
}

}  // namespace loadgen
