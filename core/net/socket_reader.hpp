#pragma once
// How a session reads its socket: a quiet connection holds no buffer, an active one reads
// with one syscall per batch of requests and nothing else.
//
// A quiet connection waits for readiness (async_wait) and then reads into a buffer of its
// thread's. But Asio re-arms such a wait with an epoll_ctl call each time: one syscall more
// per request than the read and the send. So a connection that has sent something gets a
// buffer of its own (kActiveBufferBytes) and reads with async_read_some, which Asio keeps
// registered and performs as soon as epoll reports the socket readable. A connection whose
// reads come more than kActiveFor apart gives its buffer back after the next one.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>

namespace actionhost {

class SocketReader {
 public:
  static constexpr std::size_t kThreadBufferBytes = 64 * 1024;  // the thread's, for quiet reads
  static constexpr std::size_t kActiveBufferBytes = 4 * 1024;
  static constexpr auto kActiveFor = std::chrono::seconds(1);

  // Reads what `socket` receives next and calls handler(error_code, std::string_view bytes)
  // once; the bytes are valid during the call. `handler` keeps the reader's owner (and so
  // the reader and the socket) alive. One read at a time. `requests`: false for bytes that
  // say nothing of what comes next (a TLS handshake's), which leave a quiet reader quiet.
  template <class Socket, class Handler>
  void read(Socket& socket, Handler handler, bool requests = true) {
    if (std::exchange(quiet_again_, false)) buffer_.reset();
    if (buffer_) {
      socket.async_read_some(
          boost::asio::buffer(buffer_.get(), kActiveBufferBytes),
          [this, handler = std::move(handler)](const boost::system::error_code& ec, std::size_t n) mutable {
            if (!ec) {
              const auto now = std::chrono::steady_clock::now();
              quiet_again_ = now - last_read_ > kActiveFor;  // handed back once consumed
              last_read_ = now;
            }
            handler(ec, std::string_view(buffer_.get(), ec ? 0 : n));
          });
      return;
    }
    socket.async_wait(Socket::wait_read, [this, &socket, requests, handler = std::move(handler)](
                                             const boost::system::error_code& ec) mutable {
      if (ec) {
        handler(ec, std::string_view());
        return;
      }
      // The handler consumes the bytes before it returns, so one buffer serves every
      // connection of the thread.
      thread_local const std::unique_ptr<char[]> shared(new char[kThreadBufferBytes]);
      boost::system::error_code read_error;
      const std::size_t n = socket.read_some(boost::asio::buffer(shared.get(), kThreadBufferBytes), read_error);
      if (read_error == boost::asio::error::would_block) {
        read(socket, std::move(handler), requests);
        return;
      }
      if (!read_error && requests) {  // it speaks: active from now on
        buffer_.reset(new char[kActiveBufferBytes]);
        last_read_ = std::chrono::steady_clock::now();
      }
      handler(read_error, std::string_view(shared.get(), read_error ? 0 : n));
    });
  }

 private:
  std::unique_ptr<char[]> buffer_;  // while active
  bool quiet_again_ = false;        // give buffer_ back before the next read
  std::chrono::steady_clock::time_point last_read_;
};

}  // namespace actionhost
