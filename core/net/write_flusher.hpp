#pragma once
// The writes one I/O thread owes, started together (an Asio service: one per io_context).
//
// A broadcast to a room queues its message in every member's Outbox; a member whose writer
// was idle must then be written, on its own thread. Posting one handler per member cost an
// allocation, a lock of the thread's queue and often a wake-up each, a thousand times per
// message to a room of a thousand; here the members wait in one list per thread, and the
// first one added posts the single handler that writes them all. Messages that arrive for a
// member before that handler runs leave in the same write.

#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace actionhost {

class Session;

class WriteFlusher final : public boost::asio::execution_context::service {
 public:
  using key_type = WriteFlusher;
  static inline boost::asio::execution_context::id id;

  explicit WriteFlusher(boost::asio::execution_context& context) : service(context) {}

  // Writes `session` soon, on the thread that runs `io` (its own). Any thread.
  void add(std::shared_ptr<Session> session, boost::asio::io_context::executor_type io);

 private:
  void flush();
  void shutdown() override;

  std::mutex mutex_;
  std::vector<std::shared_ptr<Session>> pending_;
  std::vector<std::shared_ptr<Session>> flushing_;  // the flush's own, reused
};

}  // namespace actionhost
