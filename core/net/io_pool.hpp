#pragma once
// The I/O threads: one io_context per thread, and each connection bound to one of them
// for its whole life (round robin at accept).
//
// A context per thread instead of one shared by all: a thread that finishes a handler
// picks the next event of its own connections, with no wake-up of another thread and no
// contention on one queue; this is what lets two threads serve more than one. The first
// context is the main one: it also runs the listener, signals and timers.

#include <atomic>
#include <memory>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace actionhost {

class IoPool {
 public:
  explicit IoPool(int threads);

  boost::asio::io_context& main() { return *contexts_.front(); }
  // The context for the next connection. Thread-safe.
  boost::asio::io_context& next();
  std::size_t size() const { return contexts_.size(); }

  // Runs every context, the main one on the calling thread; returns when all have stopped.
  void run();
  // Lets the contexts run out of work and stops them. Thread-safe.
  void stop();

 private:
  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<WorkGuard> work_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace actionhost
