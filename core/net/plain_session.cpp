#include "net/plain_session.hpp"

namespace actionhost {

void PlainSession::read() {
  reader_.read(socket_, [self = self_as<PlainSession>()](const error_code& ec, std::string_view bytes) {
    self->on_read(ec, bytes);
  });
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
