#pragma once
// A session over plain TCP. Reads with a SocketReader (no buffer while quiet, one recv per
// batch of requests while active); writes what the socket takes at once and waits for room
// only when it is full, so an answer costs one send and no completion handler.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "net/session.hpp"
#include "net/socket_reader.hpp"

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
  bool write(const std::vector<SharedBytes>& batch) override;
  bool write_unsent();
  void drop_sent(std::size_t bytes);

  Socket socket_;
  SocketReader reader_;
  std::vector<boost::asio::const_buffer> unsent_;  // what of the batch has not left yet
};

}  // namespace actionhost
