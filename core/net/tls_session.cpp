#include "net/tls_session.hpp"

#include <openssl/buffer.h>
#include <openssl/err.h>

#include <array>

namespace actionhost {
namespace {

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// Decrypted bytes per SSL_read; what one socket read brings decrypts to at most as much.
constexpr std::size_t kPlaintextBytes = SocketReader::kThreadBufferBytes;

}  // namespace

TlsSession::TlsSession(const SessionContext& context, boost::asio::io_context& io, Socket socket,
                       boost::asio::ssl::context& tls)
    : Session(context, io), socket_(std::move(socket)), ssl_(SSL_new(tls.native_handle()), SSL_free) {
  if (!ssl_) return;  // out of memory: handshake() closes the connection
  received_ = BIO_new(BIO_s_mem());
  BIO* sent = BIO_new_socket(socket_.native_handle(), BIO_NOCLOSE);
  if (!received_ || !sent) {
    BIO_free(received_);
    BIO_free(sent);
    received_ = nullptr;
    ssl_.reset();
    return;
  }
  // An empty memory BIO reads as "retry later", not as the end of the stream.
  BIO_set_mem_eof_return(received_, -1);
  SSL_set_bio(ssl_.get(), received_, sent);
  SSL_set_accept_state(ssl_.get());
  SSL_set_mode(ssl_.get(),
               SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

std::string TlsSession::tls_error(int result) {
  const int kind = SSL_get_error(ssl_.get(), result);
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code != 0) {
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    return text.data();
  }
  if (kind == SSL_ERROR_SYSCALL) return "the connection failed";
  if (kind == SSL_ERROR_ZERO_RETURN) return "the client closed the TLS session";
  return "TLS error " + std::to_string(kind);
}

void TlsSession::handshake() {
  if (!ssl_) {
    close("TLS handshake failed: cannot set up a TLS session (out of memory)");
    return;
  }
  handshake_deadline_ = std::make_unique<boost::asio::steady_timer>(socket_.get_executor(), kHandshakeTimeout);
  handshake_deadline_->async_wait([self = self_as<TlsSession>()](const error_code& ec) {
    if (ec || self->state() != State::handshake) return;
    self->close("TLS handshake did not finish within 10 s");
  });
  continue_handshake();
}

void TlsSession::continue_handshake() {
  if (state() != State::handshake) return;
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_.get());
  if (result == 1) {
    handshake_deadline_->cancel();
    handshake_deadline_.reset();
    release_received_buffer(true);
    open();
    return;
  }
  switch (SSL_get_error(ssl_.get(), result)) {
    case SSL_ERROR_WANT_READ:
      reader_.read(
          socket_,
          [self = self_as<TlsSession>()](const error_code& ec, std::string_view bytes) {
            self->on_received(ec, bytes, true);
          },
          false);
      return;
    case SSL_ERROR_WANT_WRITE:  // the socket is full: its handshake records wait for room
      socket_.async_wait(Socket::wait_write, [self = self_as<TlsSession>()](const error_code& ec) {
        if (ec) return;  // closed meanwhile
        self->continue_handshake();
      });
      return;
    default:
      close("TLS handshake failed: " + tls_error(result));
  }
}

void TlsSession::read() {
  // What was received already is decrypted before waiting for more: the bytes that came
  // with the handshake's last, or a partial record OpenSSL holds.
  if (BIO_ctrl_pending(received_) > 0 || SSL_has_pending(ssl_.get())) {
    if (!decrypt_and_consume()) return;
  }
  reader_.read(socket_, [self = self_as<TlsSession>()](const error_code& ec, std::string_view bytes) {
    self->on_received(ec, bytes, false);
  });
}

void TlsSession::on_received(const error_code& ec, std::string_view bytes, bool shaking_hands) {
  if (state() == State::closed) return;
  if (ec) {
    if (shaking_hands) {
      close("TLS handshake failed: " + ec.message());
    } else {
      on_read(ec, {});
    }
    return;
  }
  if (BIO_write(received_, bytes.data(), static_cast<int>(bytes.size())) != static_cast<int>(bytes.size())) {
    close("out of memory for the bytes received");
    return;
  }
  if (shaking_hands) {
    continue_handshake();
  } else {
    read();  // decrypts them first
  }
}

bool TlsSession::decrypt_and_consume() {
  thread_local const std::unique_ptr<char[]> plaintext(new char[kPlaintextBytes]);
  for (;;) {
    std::size_t size = 0;
    int result = 0;
    int kind = SSL_ERROR_NONE;  // read right after the call: consuming writes, which resets it
    while (size < kPlaintextBytes) {
      ERR_clear_error();
      result = SSL_read(ssl_.get(), plaintext.get() + size, static_cast<int>(kPlaintextBytes - size));
      if (result <= 0) {
        kind = SSL_get_error(ssl_.get(), result);
        break;
      }
      size += static_cast<std::size_t>(result);
    }
    const std::string why = kind == SSL_ERROR_SSL || kind == SSL_ERROR_SYSCALL ? tls_error(result) : "";
    if (size > 0 && !received({}, std::string_view(plaintext.get(), size))) return false;
    switch (kind) {
      case SSL_ERROR_NONE:  // the buffer filled up: decrypt on
        continue;
      case SSL_ERROR_WANT_READ:   // every whole record is read: wait for more
      case SSL_ERROR_WANT_WRITE:  // a reply OpenSSL owes (a key update) waits for room
        release_received_buffer();
        return true;
      case SSL_ERROR_ZERO_RETURN:  // close_notify: as the end of the stream
        received(boost::asio::error::eof, {});
        return false;
      default:
        close("TLS error: " + why);
        return false;
    }
  }
}

void TlsSession::release_received_buffer(bool always) {
  // A memory BIO keeps the largest buffer it ever held; once it is drained, the handshake's
  // or a big one (a burst read into the thread's buffer) is swapped for an empty BIO.
  BUF_MEM* memory = nullptr;
  BIO_get_mem_ptr(received_, &memory);
  if (BIO_ctrl_pending(received_) != 0 || !memory) return;
  if (!always && memory->max <= SocketReader::kActiveBufferBytes) return;
  BIO* fresh = BIO_new(BIO_s_mem());
  if (!fresh) return;
  BIO_set_mem_eof_return(fresh, -1);
  SSL_set0_rbio(ssl_.get(), fresh);  // frees the old one
  received_ = fresh;
}

bool TlsSession::write(const std::vector<SharedBytes>& batch) {
  write_buffer_.clear();
  for (const auto& bytes : batch) write_buffer_ += *bytes;
  write_offset_ = 0;
  return send_unsent();
}

bool TlsSession::send_unsent() {
  while (write_offset_ < write_buffer_.size()) {
    ERR_clear_error();
    const int n = SSL_write(ssl_.get(), write_buffer_.data() + write_offset_,
                            static_cast<int>(write_buffer_.size() - write_offset_));
    if (n > 0) {
      write_offset_ += static_cast<std::size_t>(n);
      wrote(static_cast<std::size_t>(n));
      continue;
    }
    if (SSL_get_error(ssl_.get(), n) == SSL_ERROR_WANT_WRITE) {
      socket_.async_wait(Socket::wait_write, [self = self_as<TlsSession>()](const error_code& ec) {
        if (self->state() == State::closed) return;
        if (ec) {
          self->on_written(ec);
        } else if (self->send_unsent()) {
          self->on_written({});
        }
      });
      return false;
    }
    close("write failed: " + tls_error(n));
    return false;
  }
  return true;
}

void TlsSession::stop() {
  if (handshake_deadline_) handshake_deadline_->cancel();
  Session::stop();
}

// The TLS end of the stream (close_notify) before the TCP one, so that the client can tell
// a finished stream from a cut one. Best effort: when the socket is full it is left out.
void TlsSession::end_output() {
  if (!ssl_ || !SSL_is_init_finished(ssl_.get())) return;
  if (SSL_shutdown(ssl_.get()) < 0) ERR_clear_error();
}

}  // namespace actionhost
