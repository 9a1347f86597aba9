#pragma once
// A session over TLS, driving OpenSSL directly: the server side of the handshake within
// 10 s (SPEC §7), then records decrypted as they arrive and answers encrypted as they leave.
//
// Not Asio's ssl::stream: that keeps two 17 KiB buffers of its own and a 17 KiB BIO pair per
// connection from accept to close (82 KiB per idle TLS connection, measured), and copies
// every byte through them. Here the bytes the socket receives are read by the SocketReader
// (no buffer while quiet) and handed to OpenSSL in a memory BIO; what OpenSSL writes goes
// straight to the socket (a socket BIO); and SSL_MODE_RELEASE_BUFFERS lets OpenSSL free its
// record buffers while they are empty. An idle TLS connection then holds its SSL state only.

#include <memory>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/session.hpp"
#include "net/socket_reader.hpp"

namespace actionhost {

class TlsSession final : public Session {
 public:
  TlsSession(const SessionContext& context, boost::asio::io_context& io, Socket socket,
             boost::asio::ssl::context& tls);

 private:
  Socket& socket() override { return socket_; }
  const char* transport_label() const override { return " (TLS)"; }
  void handshake() override;
  void read() override;
  bool write(const std::vector<SharedBytes>& batch) override;
  void stop() override;
  void end_output() override;

  // Takes what the socket received, then shakes hands or decrypts and consumes it.
  void on_received(const error_code& ec, std::string_view bytes, bool shaking_hands);
  // Carries the handshake on; waits for the socket when OpenSSL needs to.
  void continue_handshake();
  // Hands the decrypted bytes to the session; false when it closed the connection.
  bool decrypt_and_consume();
  // Frees the received-bytes BIO's buffer once it is drained: `always`, or when it grew
  // past an active read's.
  void release_received_buffer(bool always = false);
  // Encrypts and sends write_buffer_ from write_offset_; true when all of it left.
  bool send_unsent();
  // OpenSSL's reason for a failed call, for the close line.
  std::string tls_error(int result);

  Socket socket_;
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl_;
  BIO* received_ = nullptr;  // owned by ssl_: bytes received and not yet decrypted
  SocketReader reader_;
  std::unique_ptr<boost::asio::steady_timer> handshake_deadline_;  // while shaking hands
  std::string write_buffer_;  // the batch being written, one plaintext for OpenSSL's records
  std::size_t write_offset_ = 0;
};

}  // namespace actionhost
