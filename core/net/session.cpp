#include "net/session.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "protocol/answers.hpp"

namespace actionhost {
namespace {

// How long a closing connection may take to flush its last lines to the client...
constexpr auto kFlushTimeout = std::chrono::seconds(5);
// ...and then to close its end after ours; shorter when the whole server is stopping.
constexpr auto kLingerTimeout = std::chrono::seconds(2);
constexpr auto kShutdownLingerTimeout = std::chrono::milliseconds(500);

}  // namespace

Session::Session(const SessionContext& context, boost::asio::io_context& io)
    : context_(context),
      executor_(io.get_executor()),
      flusher_(boost::asio::use_service<WriteFlusher>(io)),
      handler_(context.requests, *this),
      framer_(context.socket.max_line_bytes),
      outbox_(context.socket.max_output_bytes) {}

boost::asio::steady_timer& Session::timer() {
  if (!timer_) timer_ = std::make_unique<boost::asio::steady_timer>(executor_);
  return *timer_;
}

void Session::start() {
  error_code ec;
  auto remote = socket().remote_endpoint(ec);
  if (ec) {  // the client left before we looked
    close("client closed the connection before it was served");
    return;
  }
  handler_.set_remote(remote.address().to_string(), remote.port());
  socket().set_option(boost::asio::ip::tcp::no_delay(true), ec);
  socket().non_blocking(true, ec);  // a read or write after a readiness wait never blocks the thread
  if (context_.socket.keepalive) socket().set_option(boost::asio::socket_base::keep_alive(true), ec);
  handshake();
}

void Session::open() {
  state_ = State::open;
  const Connection& connection = handler_.connection();
  const auto admission = context_.connections.add(shared_from_this(), context_.socket.max_connections,
                                                  context_.socket.max_connections_per_ip);
  if (admission != ConnectionTable::Admission::admitted) {
    const bool per_address = admission == ConnectionTable::Admission::full_for_address;
    spdlog::warn("refused connection from {}:{}: {} ({}) reached", connection.remote_ip, connection.remote_port,
                 per_address ? "socket.max_connections_per_ip" : "socket.max_connections",
                 per_address ? context_.socket.max_connections_per_ip : context_.socket.max_connections);
    deliver(share_bytes(per_address ? answers::too_many_connections_from_address()
                                    : answers::too_many_connections()));
    finish(per_address ? "too many connections from its address" : "too many connections");
    read();
    return;
  }
  admitted_ = true;
  spdlog::info("connection {} opened from {}:{}{}", connection.id, connection.remote_ip, connection.remote_port,
               transport_label());
  // Checked after joining the table: a shutdown that began earlier set the flag before it
  // looked at the table, so this connection is told goodbye here or by the shutdown.
  if (context_.shutting_down) {
    deliver(share_bytes(answers::goodbye()));
    finish("server shutting down");
    read();
    return;
  }
  handler_.greet();
  last_input_ = std::chrono::steady_clock::now();
  if (context_.socket.idle_timeout_ms > 0) {
    arm_idle_timer(std::chrono::milliseconds(context_.socket.idle_timeout_ms));
  }
  read();
}

void Session::on_read(const error_code& ec, std::string_view bytes) {
  if (received(ec, bytes)) read();
}

bool Session::received(const error_code& ec, std::string_view bytes) {
  if (state_ == State::closed) return false;
  if (ec) {
    close(state_ == State::open ? "client closed the connection" : close_reason_);
    return false;
  }
  context_.traffic.received(bytes.size());
  if (state_ == State::open) {
    last_input_ = std::chrono::steady_clock::now();
    consume(bytes);
  }
  // Past open, input is drained and dropped until the client closes.
  return state_ != State::closed;
}

void Session::consume(std::string_view bytes) {
  consuming_ = true;
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
  consuming_ = false;
  if (std::exchange(write_due_, false)) do_write();
}

void Session::arm_idle_timer(std::chrono::milliseconds after) {
  timer().expires_after(after);
  timer().async_wait([self = self()](const error_code& ec) { self->on_idle_timer(ec); });
}

void Session::on_idle_timer(const error_code& ec) {
  if (ec || state_ != State::open) return;
  const auto limit = std::chrono::milliseconds(context_.socket.idle_timeout_ms);
  const auto idle = std::chrono::steady_clock::now() - last_input_;
  if (idle < limit) {
    arm_idle_timer(std::chrono::duration_cast<std::chrono::milliseconds>(limit - idle) +
                   std::chrono::milliseconds(1));
    return;
  }
  deliver(share_bytes(answers::goodbye()));
  finish("idle for " + std::to_string(limit.count()) + " ms (socket.idle_timeout_ms)");
}

void Session::deliver(SharedBytes bytes) {
  switch (outbox_.push(std::move(bytes))) {
    case Outbox::Push::start_writer:
      if (on_own_thread() && consuming_) {  // consuming_ is the own thread's to read
        write_due_ = true;
      } else {
        flusher_.add(self(), executor_);
      }
      break;
    case Outbox::Push::overflow:
      spdlog::warn("connection {} is not reading its answers: more than {} bytes queued "
                   "(socket.max_output_bytes); disconnecting it",
                   handler_.connection().id, context_.socket.max_output_bytes);
      boost::asio::post(executor_,
                        [self = self()] { self->close("output queue passed socket.max_output_bytes"); });
      break;
    case Outbox::Push::queued:
    case Outbox::Push::refused:
      break;
  }
}

void Session::complete_action(SharedBytes answer) {
  // An action that answered while it ran on this thread: its answer keeps its place among
  // the answers to the lines around it.
  if (on_own_thread()) {
    handler_.action_answered(std::move(answer));
    return;
  }
  boost::asio::post(executor_, [self = self(), answer = std::move(answer)]() mutable {
    self->handler_.action_answered(std::move(answer));
  });
}

void Session::do_write() {
  while (state_ != State::closed) {
    if (!outbox_.take(batch_)) {
      if (state_ == State::finishing) linger();
      return;
    }
    if (!write(batch_)) return;  // on_written() goes on
  }
}

void Session::on_written(const error_code& ec) {
  if (state_ == State::closed) return;
  if (ec) {
    close("write failed: " + ec.message());
    return;
  }
  do_write();
}

void Session::close_with_goodbye() {
  boost::asio::post(executor_, [self = self()] {
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
  outbox_.seal();                        // the goodbye, queued just before, is the last line
  timer().expires_after(kFlushTimeout);  // instead of the idle timeout, whose wait it cancels
  timer().async_wait([self = self()](const error_code& ec) { self->on_closing_deadline(ec); });
  if (outbox_.idle()) linger();
}

// Half-closes after the last byte so the client reads it, instead of the reset a close
// with unread input would cause, then waits (reading and dropping) for the client to go.
void Session::linger() {
  state_ = State::lingering;
  end_output();
  error_code ec;
  socket().shutdown(boost::asio::socket_base::shutdown_send, ec);
  timer().expires_after(context_.shutting_down ? kShutdownLingerTimeout : kLingerTimeout);
  timer().async_wait([self = self()](const error_code& e) { self->on_closing_deadline(e); });
}

void Session::on_closing_deadline(const error_code& ec) {
  if (ec) return;
  if (state_ == State::finishing) {
    close(close_reason_ + "; the client did not read its last lines in time");
  } else if (state_ == State::lingering) {
    close(close_reason_);
  }
}

void Session::stop() {
  error_code ec;
  socket().close(ec);
}

void Session::close(std::string_view reason) {
  if (state_ == State::closed) return;
  state_ = State::closed;
  outbox_.seal();
  if (timer_) timer_->cancel();
  stop();
  const Connection& connection = handler_.connection();
  if (!admitted_) {
    spdlog::info("connection from {}:{} closed before it was admitted: {}", connection.remote_ip,
                 connection.remote_port, reason);
    return;
  }
  // Out of the table first: a cluster join that finishes later finds the connection gone and
  // undoes itself (ChatService::store_member).
  context_.connections.remove(connection.id);
  handler_.close(reason);
  spdlog::info("connection {} closed: {}", connection.id, reason);
}

}  // namespace actionhost
