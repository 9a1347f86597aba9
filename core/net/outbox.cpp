#include "net/outbox.hpp"

namespace actionhost {

Outbox::Push Outbox::push(SharedBytes bytes) {
  std::lock_guard lock(mutex_);
  if (sealed_) return Push::refused;
  if (queued_bytes_ + bytes->size() > max_bytes_) {
    sealed_ = true;
    return Push::overflow;
  }
  queued_bytes_ += bytes->size();
  queue_.push_back(std::move(bytes));
  if (writing_) return Push::queued;
  writing_ = true;
  return Push::start_writer;
}

bool Outbox::take(std::vector<SharedBytes>& batch) {
  batch.clear();
  std::lock_guard lock(mutex_);
  if (queue_.empty()) {
    writing_ = false;
    return false;
  }
  batch.swap(queue_);
  return true;
}

void Outbox::written(std::size_t bytes) {
  std::lock_guard lock(mutex_);
  queued_bytes_ -= bytes;
}

void Outbox::seal() {
  std::lock_guard lock(mutex_);
  sealed_ = true;
}

std::size_t Outbox::queued_bytes() const {
  std::lock_guard lock(mutex_);
  return queued_bytes_;
}

bool Outbox::idle() const {
  std::lock_guard lock(mutex_);
  return !writing_;
}

}  // namespace actionhost
