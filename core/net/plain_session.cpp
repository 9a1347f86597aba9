#include "net/plain_session.hpp"

#include <utility>

namespace actionhost {
namespace {

constexpr std::size_t kReadBufferBytes = 64 * 1024;  // the thread's, for quiet connections
constexpr std::size_t kActiveBufferBytes = 4 * 1024;
constexpr auto kActiveFor = std::chrono::seconds(1);

}  // namespace

void PlainSession::read() {
  if (std::exchange(quiet_again_, false)) buffer_.reset();
  if (buffer_) {
    socket_.async_read_some(
        boost::asio::buffer(buffer_.get(), kActiveBufferBytes),
        [self = self_as<PlainSession>()](const error_code& ec, std::size_t n) { self->on_received(ec, n); });
    return;
  }
  socket_.async_wait(Socket::wait_read,
                     [self = self_as<PlainSession>()](const error_code& ec) { self->on_readable(ec); });
}

void PlainSession::on_readable(const error_code& ec) {
  if (state() == State::closed) return;
  if (ec) {
    on_read(ec, {});
    return;
  }
  // on_read() consumes the bytes before it returns (the framer copies a partial line), so
  // one buffer serves every session of the thread.
  thread_local const std::unique_ptr<char[]> buffer(new char[kReadBufferBytes]);
  error_code read_error;
  std::size_t n = socket_.read_some(boost::asio::buffer(buffer.get(), kReadBufferBytes), read_error);
  if (read_error == boost::asio::error::would_block) {
    read();
    return;
  }
  if (!read_error) {  // it speaks: active from now on
    buffer_.reset(new char[kActiveBufferBytes]);
    last_read_ = std::chrono::steady_clock::now();
  }
  on_read(read_error, std::string_view(buffer.get(), n));
}

void PlainSession::on_received(const error_code& ec, std::size_t n) {
  if (state() == State::closed) return;
  if (!ec) {
    const auto now = std::chrono::steady_clock::now();
    quiet_again_ = now - last_read_ > kActiveFor;  // read() gives the buffer back, once consumed
    last_read_ = now;
  }
  on_read(ec, std::string_view(buffer_.get(), ec ? 0 : n));
}

bool PlainSession::write(const std::vector<SharedBytes>& batch) {
  unsent_.clear();
  for (const auto& bytes : batch) unsent_.push_back(boost::asio::buffer(*bytes));
  return write_unsent();
}

// A gathered write of everything unsent, repeated until the socket is full; then a wait for
// room, after which it goes on.
bool PlainSession::write_unsent() {
  while (!unsent_.empty()) {
    error_code ec;
    std::size_t n = socket_.write_some(unsent_, ec);
    if (ec == boost::asio::error::would_block) {
      socket_.async_wait(Socket::wait_write, [self = self_as<PlainSession>()](const error_code& e) {
        if (self->state() == State::closed) return;
        if (e) {
          self->on_written(e);
        } else if (self->write_unsent()) {
          self->on_written({});
        }
      });
      return false;
    }
    if (ec) {
      on_written(ec);
      return false;
    }
    wrote(n);
    drop_sent(n);
  }
  return true;
}

void PlainSession::drop_sent(std::size_t bytes) {
  auto first = unsent_.begin();
  while (first != unsent_.end() && bytes >= first->size()) {
    bytes -= first->size();
    ++first;
  }
  unsent_.erase(unsent_.begin(), first);
  if (bytes > 0) unsent_.front() += bytes;
}

}  // namespace actionhost
