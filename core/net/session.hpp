#pragma once
// One client connection, from accept to close, over TCP or TLS alike.
//
// Life of a session, in the order of its steps below: start → (TLS) on_handshake → open
// (admit, welcome) → do_read/on_read → consume lines → answers queued in the Outbox →
// do_write (write_plain, or on_tls_write); then finish (stop taking requests, flush) → linger (half-close,
// drain the client until it closes) → close.
//
// Threading: every step runs on the session's strand, which owns the Connection, the
// framer and the socket. Only deliver() and close_with_goodbye() are called from other
// threads; they touch the Outbox (its own lock) or post to the strand.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "app/services.hpp"
#include "connections/connection.hpp"
#include "connections/peer.hpp"
#include "net/outbox.hpp"
#include "net/stream.hpp"
#include "protocol/line_framer.hpp"
#include "protocol/request_handler.hpp"

namespace actionhost {

class Session final : public Peer {
 public:
  Session(Stream stream, Services& services);

  void start();

  const std::string& peer_id() const override { return connection_.id; }
  void deliver(SharedBytes bytes) override;
  void complete_action(SharedBytes answer) override;
  void close_with_goodbye() override;

 private:
  enum class State { handshake, open, finishing, lingering, closed };
  using error_code = boost::system::error_code;

  std::shared_ptr<Session> self() { return std::static_pointer_cast<Session>(shared_from_this()); }

  void on_handshake_deadline(const error_code& ec);
  void on_handshake(const error_code& ec);
  void open();
  bool on_strand() const;
  void do_read();
  void on_readable(const error_code& ec);
  void on_read(const error_code& ec, std::string_view bytes);
  void consume(std::string_view bytes);
  void feed(std::string_view bytes);
  void arm_idle_timer(std::chrono::milliseconds after);
  void on_idle_timer(const error_code& ec);
  void do_write();
  void write_plain();
  void drop_written(std::size_t bytes);
  void on_tls_write(const error_code& ec, std::size_t bytes);
  void finish(std::string reason);
  void on_finish_deadline(const error_code& ec);
  void linger();
  void close(std::string_view reason);

  Services& services_;
  Stream stream_;
  Stream::Tcp::executor_type strand_;
  Connection connection_;
  RequestHandler handler_;
  LineFramer framer_;
  Outbox outbox_;
  boost::asio::steady_timer timer_;  // handshake deadline, then idle timeout, then finish deadline
  State state_ = State::handshake;
  bool admitted_ = false;
  std::string close_reason_;
  std::chrono::steady_clock::time_point last_input_;
  bool consuming_ = false;            // on the strand, inside consume()
  bool write_after_consume_ = false;  // an answer queued by consume() starts the writer
  std::unique_ptr<char[]> tls_read_buffer_;          // TLS only, from the first read on
  std::vector<SharedBytes> writing_;                 // the batch being written
  std::vector<boost::asio::const_buffer> write_buffers_;  // TCP: what of the batch is not yet written
  std::string tls_write_buffer_;                     // TLS: the batch as one record source
};

}  // namespace actionhost
