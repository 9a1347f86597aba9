#pragma once
// A session over plain TCP. Writes what the socket takes at once and waits for room only when
// it is full, so an answer costs one send and no completion handler.
//
// Reads: a quiet connection holds no buffer. It waits for readiness (async_wait) and then
// reads into a buffer of its thread's. But Asio re-arms such a wait with an epoll_ctl call
// each time, one more syscall per request than the read and the send; so a connection that
// has sent something gets a buffer of its own (kActiveBufferBytes) and reads with
// async_read_some, which Asio keeps registered and performs as soon as epoll reports the
// socket readable: one recv per batch of requests and nothing else. A connection whose reads
// come more than kActiveFor apart gives its buffer back after the next one.

#include <chrono>
#include <memory>

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
  void on_readable(const error_code& ec);                 // quiet: after a readiness wait
  void on_received(const error_code& ec, std::size_t n);  // active: read into buffer_
  bool write(const std::vector<SharedBytes>& batch) override;
  bool write_unsent();
  void drop_sent(std::size_t bytes);

  Socket socket_;
  std::vector<boost::asio::const_buffer> unsent_;  // what of the batch has not left yet
  std::unique_ptr<char[]> buffer_;                 // while active
  bool quiet_again_ = false;                       // give buffer_ back before the next read
  std::chrono::steady_clock::time_point last_read_;
};

}  // namespace actionhost
