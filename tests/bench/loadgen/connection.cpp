#include "connection.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace loadgen {
namespace {

sockaddr_in resolve(const std::string& host, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    throw std::runtime_error("--host must be an IPv4 address, got " + host);
  }
  return address;
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

int new_socket() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

}  // namespace

Connection::Connection(const std::string& host, int port, SSL_CTX* ssl_ctx) : fd_(new_socket()) {
  sockaddr_in address = resolve(host, port);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    std::string why = std::strerror(errno);
    close(fd_);
    throw std::runtime_error("connect to " + host + ":" + std::to_string(port) + ": " + why);
  }
  if (ssl_ctx) {
    ssl_ = SSL_new(ssl_ctx);
    SSL_set_fd(ssl_, fd_);
    if (SSL_connect(ssl_) != 1) {
      SSL_free(ssl_);
      close(fd_);
      throw std::runtime_error("TLS handshake with " + host + ":" + std::to_string(port) + " failed");
    }
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  }
  set_nonblocking(fd_);
}

Connection Connection::start_nonblocking(const std::string& host, int port) {
  Connection c(new_socket());
  set_nonblocking(c.fd_);
  sockaddr_in address = resolve(host, port);
  if (connect(c.fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS) {
    throw std::runtime_error(std::string("connect: ") + std::strerror(errno));
  }
  return c;
}

Connection::Connection(Connection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      out_(std::move(other.out_)),
      in_(std::move(other.in_)) {}

Connection::~Connection() {
  if (ssl_) SSL_free(ssl_);
  if (fd_ >= 0) close(fd_);
}

bool Connection::send(std::string_view bytes) {
  out_.append(bytes);
  bool failed = false;
  flush_pending(failed);
  return !failed;
}

bool Connection::flush_pending(bool& failed) {
  while (!out_.empty()) {
    long n;
    if (ssl_) {
      n = SSL_write(ssl_, out_.data(), static_cast<int>(out_.size()));
      if (n <= 0) {
        int e = SSL_get_error(ssl_, static_cast<int>(n));
        if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) return true;
        failed = true;
        return false;
      }
    } else {
      n = ::send(fd_, out_.data(), out_.size(), MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
        failed = true;
        return false;
      }
    }
    out_.erase(0, static_cast<std::size_t>(n));
  }
  return false;
}

long Connection::read_some(char* buffer, std::size_t size) {
  if (ssl_) {
    int n = SSL_read(ssl_, buffer, static_cast<int>(size));
    if (n > 0) return n;
    int e = SSL_get_error(ssl_, n);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return 0;
    return -1;
  }
  long n = ::recv(fd_, buffer, size, 0);
  if (n > 0) return n;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return 0;
  return -1;
}

}  // namespace loadgen
