#include "net/tls_session.hpp"

#include <boost/asio/write.hpp>

namespace actionhost {
namespace {

constexpr std::size_t kReadBufferBytes = 16 * 1024;
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

}  // namespace

void TlsSession::handshake() {
  auto self = self_as<TlsSession>();
  handshake_deadline_.expires_after(kHandshakeTimeout);
  handshake_deadline_.async_wait([self](const error_code& ec) {
    if (ec || self->state() != State::handshake) return;
    self->close("TLS handshake did not finish within 10 s");
  });
  stream_.async_handshake(boost::asio::ssl::stream_base::server,
                          [self](const error_code& ec) { self->on_handshake(ec); });
}

void TlsSession::on_handshake(const error_code& ec) {
  if (state() != State::handshake) return;
  if (ec) {
    close("TLS handshake failed: " + ec.message());
    return;
  }
  handshake_deadline_.cancel();
  open();
}

void TlsSession::read() {
  if (!read_buffer_) read_buffer_.reset(new char[kReadBufferBytes]);
  stream_.async_read_some(boost::asio::buffer(read_buffer_.get(), kReadBufferBytes),
                          [self = self_as<TlsSession>()](const error_code& ec, std::size_t n) {
                            self->on_read(ec, std::string_view(self->read_buffer_.get(), n));
                          });
}

bool TlsSession::write(const std::vector<SharedBytes>& batch) {
  write_buffer_.clear();
  for (const auto& bytes : batch) write_buffer_ += *bytes;
  boost::asio::async_write(stream_, boost::asio::buffer(write_buffer_),
                           [self = self_as<TlsSession>()](const error_code& ec, std::size_t n) {
                             if (!ec) self->wrote(n);
                             self->on_written(ec);
                           });
  return false;
}

void TlsSession::stop() {
  handshake_deadline_.cancel();
  Session::stop();
}

}  // namespace actionhost
