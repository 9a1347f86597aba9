#pragma once
// One client connection, from accept to close, whatever carries its bytes. The transport
// (PlainSession for TCP, TlsSession for TLS) derives from it and supplies four steps:
// handshake, read, write a batch, and stop; everything else is here, once.
//
// Life of a session, in the order of its steps below: start → (transport) handshake → open
// (admit, welcome) → read → on_read → consume lines → answers queued in the Outbox → do_write
// → on_written; then finish (stop taking requests, flush) → linger (half-close, drain the
// client until it closes) → close.
//
// Threading: the session is bound to one I/O thread (one io_context, run by one thread) for
// its whole life; every step runs there, and the RequestHandler, the framer and the socket
// are touched only there. Only deliver(), complete_action() and close_with_goodbye() are
// called from other threads; they touch the Outbox (its own lock) or post to that thread.

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/config.hpp"
#include "connections/connection_table.hpp"
#include "connections/peer.hpp"
#include "dispatch/request_handler.hpp"
#include "net/outbox.hpp"
#include "net/write_flusher.hpp"
#include "protocol/line_framer.hpp"
#include "status/request_counters.hpp"

namespace actionhost {

// What every session shares; owned by the Server.
struct SessionContext {
  const SocketConfig& socket;
  ConnectionTable& connections;
  const std::atomic<bool>& shutting_down;
  const RequestContext& requests;
  RequestCounters& traffic;  // bytes received and sent
};

class Session : public Peer {
 public:
  // Bound to its io_context's own executor type, not the polymorphic any_io_executor: every
  // operation pending on it (a connection always has its read wait) carries the executor,
  // and the concrete one is a pointer where the polymorphic one is several.
  using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

  // Sets the socket up and starts the transport's handshake; open() follows.
  void start();

  const std::string& peer_id() const override { return handler_.connection().id; }
  const std::string& remote_ip() const override { return handler_.connection().remote_ip; }
  std::uint16_t remote_port() const override { return handler_.connection().remote_port; }
  std::vector<std::string> rooms() const override { return handler_.rooms(); }
  void deliver(SharedBytes bytes) override;
  void complete_action(SharedBytes answer) override;
  void close_with_goodbye() override;

  // Writes what the Outbox holds (WriteFlusher calls it on the session's own thread).
  void write_queued() { do_write(); }

 protected:
  using error_code = boost::system::error_code;
  enum class State { handshake, open, finishing, lingering, closed };

  // `io` is the I/O thread's context the session's socket was accepted on.
  Session(const SessionContext& context, boost::asio::io_context& io);

  // ---- What a transport supplies ----
  virtual Socket& socket() = 0;
  virtual const char* transport_label() const = 0;  // appended to the "opened" log line
  // Makes the stream ready, then calls open(); or close() with the reason.
  virtual void handshake() = 0;
  // Waits for what the client sends next and hands it to on_read(), once.
  virtual void read() = 0;
  // Writes all of `batch` (which stays alive and unchanged until then). Returns true when it
  // is written already; otherwise calls on_written() once it is, or once writing failed.
  virtual bool write(const std::vector<SharedBytes>& batch) = 0;
  // Stops everything the transport has in flight; the socket closes.
  virtual void stop();
  // Called once the last answer has left, just before the sending side is shut.
  virtual void end_output() {}

  // ---- What a transport calls ----
  void open();
  // What the client sent (`ec`: it closed, or reading failed), then the next read().
  void on_read(const error_code& ec, std::string_view bytes);
  // The same without the next read: false when the connection is closed.
  bool received(const error_code& ec, std::string_view bytes);
  void wrote(std::size_t bytes) {  // part of a batch has left
    outbox_.written(bytes);
    context_.traffic.sent(bytes);
  }
  void on_written(const error_code& ec);
  void close(std::string_view reason);
  State state() const { return state_; }
  template <class Derived>
  std::shared_ptr<Derived> self_as() {
    return std::static_pointer_cast<Derived>(shared_from_this());
  }

 private:
  std::shared_ptr<Session> self() { return self_as<Session>(); }
  bool on_own_thread() const { return executor_.running_in_this_thread(); }

  void consume(std::string_view bytes);
  void arm_idle_timer(std::chrono::milliseconds after);
  void on_idle_timer(const error_code& ec);
  void do_write();
  void finish(std::string reason);
  void linger();
  void on_closing_deadline(const error_code& ec);

  const SessionContext& context_;
  boost::asio::io_context::executor_type executor_;
  WriteFlusher& flusher_;  // its thread's
  RequestHandler handler_;
  LineFramer framer_;
  Outbox outbox_;
  State state_ = State::handshake;
  bool admitted_ = false;  // counted in the ConnectionTable (and so in its rooms) until closed
  std::string close_reason_;

  // socket.idle_timeout_ms while open (when set), then the closing deadline (flushing the
  // last lines, then lingering). Made when first needed: most connections never need one,
  // and it is the biggest part of an idle connection otherwise.
  std::unique_ptr<boost::asio::steady_timer> timer_;
  boost::asio::steady_timer& timer();
  std::chrono::steady_clock::time_point last_input_;

  // The answers to every line of one read leave in one write, started once the read is
  // consumed: while consuming, deliver() on this thread only notes that a write is due.
  bool consuming_ = false;
  bool write_due_ = false;
  std::vector<SharedBytes> batch_;  // being written
};

}  // namespace actionhost
