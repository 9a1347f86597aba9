#pragma once
// A session over plain TCP. Reads into a buffer of its thread's after a readiness wait, so an
// idle connection holds none; writes what the socket takes at once and waits for room only
// when it is full, so an answer costs one send and no completion handler.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/session.hpp"

namespace actionhost {

class PlainSession final : public Session {
 public:
  PlainSession(const SessionContext& context, boost::asio::io_context& io, Socket socket)
      : Session(context, io), socket_(std::move(socket)) {}

 private:
  Socket& socket() override { return socket_; }
  const char* transport_label() const override { return ""; }
  void handshake() override { open(); }
  void read() override;
  void on_readable(const error_code& ec);
  bool write(const std::vector<SharedBytes>& batch) override;
  bool write_unsent();
  void drop_sent(std::size_t bytes);

  Socket socket_;
  std::vector<boost::asio::const_buffer> unsent_;  // what of the batch has not left yet
};

}  // namespace actionhost
