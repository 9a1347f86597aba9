#pragma once
// A session over TLS: the server side of the handshake, within 10 s (SPEC §7), then reads
// into a buffer of its own (allocated at the first read) and writes each batch as one
// buffer, since an SSL stream encrypts only the first buffer of a sequence per record.

#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/session.hpp"

namespace actionhost {

class TlsSession final : public Session {
 public:
  TlsSession(const SessionContext& context, boost::asio::io_context& io, Socket socket,
             boost::asio::ssl::context& tls)
      : Session(context, io), stream_(std::move(socket), tls), handshake_deadline_(io) {}

 private:
  Socket& socket() override { return stream_.next_layer(); }
  const char* transport_label() const override { return " (TLS)"; }
  void handshake() override;
  void on_handshake(const error_code& ec);
  void read() override;
  bool write(const std::vector<SharedBytes>& batch) override;
  void stop() override;

  boost::asio::ssl::stream<Socket> stream_;
  boost::asio::steady_timer handshake_deadline_;
  std::unique_ptr<char[]> read_buffer_;  // from the first read on
  std::string write_buffer_;             // the batch being written, as one record source
};

}  // namespace actionhost
