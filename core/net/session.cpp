#include "net/session.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "util/clock.hpp"
#include "util/uuid.hpp"

namespace actionhost {
namespace {

// Plain TCP reads into a buffer of the thread's, so an idle connection holds none; TLS
// reads through OpenSSL into the session's own, allocated when the first bytes arrive.
constexpr std::size_t kReadBufferBytes = 64 * 1024;
constexpr std::size_t kTlsReadBufferBytes = 16 * 1024;
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
// How long a closing connection may take to flush its last lines to the client...
constexpr auto kFlushTimeout = std::chrono::seconds(5);
// ...and then to close its end after ours; shorter when the whole server is stopping.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr auto kShutdownLingerTimeout = std::chrono::milliseconds(500);

}  // namespace

Session::Session(Stream stream, Services& services)
    : services_(services),
      stream_(std::move(stream)),
      strand_(stream_.get_executor()),
      handler_(services, connection_, *this),
      framer_(services.config.socket.max_line_bytes),
      outbox_(services.config.socket.max_output_bytes),
      timer_(strand_) {
  connection_.id = make_uuid_v4();
  connection_.connected_at = now_ms();
}

void Session::start() {
  error_code ec;
  auto remote = stream_.socket().remote_endpoint(ec);
  if (ec) {  // the client left before we looked
    close("client closed the connection before it was served");
    return;
  }
  connection_.remote_ip = remote.address().to_string();
  connection_.remote_port = remote.port();
  stream_.socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
  stream_.socket().non_blocking(true, ec);  // read_some after a wait never blocks the thread
  if (services_.config.socket.keepalive) {
    stream_.socket().set_option(boost::asio::socket_base::keep_alive(true), ec);
  }
  if (!stream_.is_tls()) {
    open();
    return;
  }
  timer_.expires_after(kHandshakeTimeout);
  timer_.async_wait([self = self()](const error_code& e) { self->on_handshake_deadline(e); });
  stream_.async_handshake([self = self()](const error_code& e) { self->on_handshake(e); });
}

void Session::on_handshake_deadline(const error_code& ec) {
  if (ec || state_ != State::handshake) return;
  close("TLS handshake did not finish within 10 s");
}

void Session::on_handshake(const error_code& ec) {
  if (state_ != State::handshake) return;
  if (ec) {
    close("TLS handshake failed: " + ec.message());
    return;
  }
  timer_.cancel();
  open();
}

void Session::open() {
  state_ = State::open;
  if (!services_.connections.add(shared_from_this(), services_.config.socket.max_connections)) {
    spdlog::warn("refused connection from {}:{}: socket.max_connections ({}) reached",
                 connection_.remote_ip, connection_.remote_port,
                 services_.config.socket.max_connections);
    deliver(share_bytes(answers::too_many_connections()));
    finish("too many connections");
    do_read();
    return;
  }
  admitted_ = true;
  spdlog::info("connection {} opened from {}:{}{}", connection_.id, connection_.remote_ip,
               connection_.remote_port, stream_.is_tls() ? " (TLS)" : "");
  // Checked after joining the table: a shutdown that began earlier set the flag before it
  // looked at the table, so this connection is told goodbye here or by the shutdown.
  if (services_.shutting_down) {
    deliver(share_bytes(answers::goodbye()));
    finish("server shutting down");
    do_read();
    return;
  }
  handler_.greet();
  last_input_ = std::chrono::steady_clock::now();
  if (services_.config.socket.idle_timeout_ms > 0) {
    arm_idle_timer(std::chrono::milliseconds(services_.config.socket.idle_timeout_ms));
  }
  do_read();
}

void Session::do_read() {
  if (!stream_.is_tls()) {
    stream_.socket().async_wait(Stream::Tcp::wait_read,
                                [self = self()](const error_code& ec) { self->on_readable(ec); });
    return;
  }
  if (!tls_read_buffer_) tls_read_buffer_.reset(new char[kTlsReadBufferBytes]);
  stream_.async_read_some(boost::asio::buffer(tls_read_buffer_.get(), kTlsReadBufferBytes),
                          [self = self()](const error_code& ec, std::size_t n) {
                            self->on_read(ec, std::string_view(self->tls_read_buffer_.get(), n));
                          });
}

void Session::on_readable(const error_code& ec) {
  if (state_ == State::closed) return;
  if (ec) {
    on_read(ec, {});
    return;
  }
  // Lines are consumed before this returns (the framer copies a partial one), so one
  // buffer serves every session of the thread.
  thread_local const std::unique_ptr<char[]> buffer(new char[kReadBufferBytes]);
  error_code read_error;
  std::size_t n = stream_.socket().read_some(boost::asio::buffer(buffer.get(), kReadBufferBytes), read_error);
  if (read_error == boost::asio::error::would_block) {
    do_read();
    return;
  }
  on_read(read_error, std::string_view(buffer.get(), n));
}

void Session::on_read(const error_code& ec, std::string_view bytes) {
  if (state_ == State::closed) return;
  if (ec) {
    close(state_ == State::open ? "client closed the connection" : close_reason_);
    return;
  }
  if (state_ == State::open) {
    last_input_ = std::chrono::steady_clock::now();
    consume(bytes);
  }
  // Past open, input is drained and dropped until the client closes.
  if (state_ != State::closed) do_read();
}

// The answers to every line of one read leave in one write, started when the read is
// consumed (deliver() only queues them meanwhile).
void Session::consume(std::string_view bytes) {
  consuming_ = true;
  feed(bytes);
  consuming_ = false;
  if (std::exchange(write_after_consume_, false)) do_write();
}

void Session::feed(std::string_view bytes) {
  framer_.feed(bytes, [this](LineFramer::Event event, std::string_view line) {
    if (state_ != State::open) return false;  // e.g. closed for overflowing its output
    switch (event) {
      case LineFramer::Event::line:
        if (handler_.handle_line(line) == RequestHandler::After::close) {
          finish("client quit");
          return false;
        }
        return true;
      case LineFramer::Event::overlong_line:
        handler_.refuse_overlong_line();
        return true;
      case LineFramer::Event::hangup:
        deliver(share_bytes(answers::goodbye()));
        finish("client sent Ctrl-C or Ctrl-D");
        return false;
    }
    return false;
  });
}

void Session::arm_idle_timer(std::chrono::milliseconds after) {
  timer_.expires_after(after);
  timer_.async_wait([self = self()](const error_code& ec) { self->on_idle_timer(ec); });
}

void Session::on_idle_timer(const error_code& ec) {
  if (ec || state_ != State::open) return;
  const auto limit = std::chrono::milliseconds(services_.config.socket.idle_timeout_ms);
  const auto idle = std::chrono::steady_clock::now() - last_input_;
  if (idle < limit) {
    arm_idle_timer(std::chrono::duration_cast<std::chrono::milliseconds>(limit - idle) +
                   std::chrono::milliseconds(1));
    return;
  }
  deliver(share_bytes(answers::goodbye()));
  finish("idle for " + std::to_string(limit.count()) + " ms (socket.idle_timeout_ms)");
}

bool Session::on_strand() const {
  using IoStrand = boost::asio::strand<boost::asio::io_context::executor_type>;
  const auto* strand = strand_.target<IoStrand>();
  return strand && strand->running_in_this_thread();
}

void Session::deliver(SharedBytes bytes) {
  switch (outbox_.push(std::move(bytes))) {
    case Outbox::Push::start_writer:
      if (on_strand() && consuming_) {
        write_after_consume_ = true;
      } else {
        boost::asio::post(strand_, [self = self()] { self->do_write(); });
      }
      break;
    case Outbox::Push::overflow:
      spdlog::warn("connection {} is not reading its answers: more than {} bytes queued "
                   "(socket.max_output_bytes); disconnecting it",
                   connection_.id, services_.config.socket.max_output_bytes);
      boost::asio::post(strand_, [self = self()] {
        self->close("output queue passed socket.max_output_bytes");
      });
      break;
    case Outbox::Push::queued:
    case Outbox::Push::refused:
      break;
  }
}

void Session::complete_action(SharedBytes answer) {
  auto finish_action = [self = self(), answer = std::move(answer)]() mutable {
    if (self->connection_.pending_actions > 0) --self->connection_.pending_actions;
    self->deliver(std::move(answer));
  };
  // An action that answered while it ran on this strand: its answer keeps its place among
  // the answers to the lines around it.
  if (on_strand()) {
    finish_action();
  } else {
    boost::asio::post(strand_, std::move(finish_action));
  }
}

void Session::do_write() {
  if (state_ == State::closed) return;
  if (!stream_.is_tls()) {
    write_plain();
    return;
  }
  if (!outbox_.take(writing_)) {
    if (state_ == State::finishing) linger();
    return;
  }
  // One buffer: an SSL stream encrypts only the first buffer of a sequence per record.
  tls_write_buffer_.clear();
  for (const auto& bytes : writing_) tls_write_buffer_ += *bytes;
  stream_.async_write(boost::asio::buffer(tls_write_buffer_),
                      [self = self()](const error_code& ec, std::size_t n) { self->on_tls_write(ec, n); });
}

void Session::on_tls_write(const error_code& ec, std::size_t bytes) {
  if (state_ == State::closed) return;
  if (ec) {
    close("write failed: " + ec.message());
    return;
  }
  outbox_.written(bytes);
  writing_.clear();
  do_write();
}

// Plain TCP writes what the socket takes now, as a gathered write of everything queued, and
// waits for room only when the socket is full: an answer costs one send, not a send and a
// completion handler.
void Session::write_plain() {
  while (state_ != State::closed) {
    if (write_buffers_.empty()) {
      writing_.clear();
      if (!outbox_.take(writing_)) {
        if (state_ == State::finishing) linger();
        return;
      }
      for (const auto& bytes : writing_) write_buffers_.push_back(boost::asio::buffer(*bytes));
    }
    error_code ec;
    std::size_t n = stream_.socket().write_some(write_buffers_, ec);
    if (ec == boost::asio::error::would_block) {
      stream_.socket().async_wait(Stream::Tcp::wait_write, [self = self()](const error_code& e) {
        if (self->state_ == State::closed) return;
        if (e) {
          self->close("write failed: " + e.message());
          return;
        }
        self->write_plain();
      });
      return;
    }
    if (ec) {
      close("write failed: " + ec.message());
      return;
    }
    outbox_.written(n);
    drop_written(n);
  }
}

// Removes the first `bytes` written from write_buffers_.
void Session::drop_written(std::size_t bytes) {
  auto first = write_buffers_.begin();
  while (first != write_buffers_.end() && bytes >= first->size()) {
    bytes -= first->size();
    ++first;
  }
  write_buffers_.erase(write_buffers_.begin(), first);
  if (bytes > 0) write_buffers_.front() += bytes;
}

void Session::close_with_goodbye() {
  boost::asio::post(strand_, [self = self()] {
    if (self->state_ == State::handshake) {
      self->close("server shutting down");
    } else if (self->state_ == State::open) {
      self->deliver(share_bytes(answers::goodbye()));
      self->finish("server shutting down");
    }
  });
}

void Session::finish(std::string reason) {
  state_ = State::finishing;
  close_reason_ = std::move(reason);
  outbox_.seal();  // the goodbye, queued just before, is the last line
  timer_.expires_after(kFlushTimeout);
  timer_.async_wait([self = self()](const error_code& ec) { self->on_finish_deadline(ec); });
  if (outbox_.idle()) linger();
}

void Session::on_finish_deadline(const error_code& ec) {
  if (ec) return;
  if (state_ == State::finishing) {
    close(close_reason_ + "; the client did not read its last lines in time");
  } else if (state_ == State::lingering) {
    close(close_reason_);
  }
}

// Half-closes after the last byte so the client reads it, instead of the reset a close
// with unread input would cause, then waits (reading and dropping) for the client to go.
void Session::linger() {
  state_ = State::lingering;
  error_code ec;
  stream_.socket().shutdown(boost::asio::socket_base::shutdown_send, ec);
  timer_.expires_after(services_.shutting_down ? kShutdownLingerTimeout : kLingerTimeout);
  timer_.async_wait([self = self()](const error_code& e) { self->on_finish_deadline(e); });
}

void Session::close(std::string_view reason) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  outbox_.seal();
  timer_.cancel();
  error_code ec;
  stream_.socket().close(ec);
  if (!admitted_) {
    spdlog::info("connection from {}:{} closed before it was admitted: {}",
                 connection_.remote_ip, connection_.remote_port, reason);
    return;
  }
  handler_.leave_all_rooms();
  services_.connections.remove(connection_.id);
  spdlog::info("connection {} closed: {}", connection_.id, reason);
}

}  // namespace actionhost
