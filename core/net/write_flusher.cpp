#include "net/write_flusher.hpp"

#include "net/session.hpp"

namespace actionhost {

void WriteFlusher::add(std::shared_ptr<Session> session, boost::asio::io_context::executor_type io) {
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(std::move(session));
    if (pending_.size() > 1) return;  // a flush is posted already
  }
  // The service lives as long as its io_context, which destroys this handler if it never runs.
  boost::asio::post(io, [this] { flush(); });
}

void WriteFlusher::flush() {
  {
    std::lock_guard lock(mutex_);
    flushing_.swap(pending_);
  }
  for (const auto& session : flushing_) session->write_queued();
  flushing_.clear();
}

void WriteFlusher::shutdown() {
  std::lock_guard lock(mutex_);
  pending_.clear();
}

}  // namespace actionhost
