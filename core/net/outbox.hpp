#pragma once
// The bytes queued for one client and not yet written (SPEC §7, max_output_bytes).
//
// Any thread may push; only the connection's writer (on its I/O thread) takes. At most one
// write is in flight: the push that finds the writer idle is told to start it, and the
// writer takes everything queued at once, so answers queued while a write is in flight
// leave together in the next one. Bytes queued but not yet acknowledged as written count
// against the cap; the push that would pass it overflows the outbox, which then refuses
// everything.

#include <cstddef>
#include <mutex>
#include <vector>

#include "util/shared_bytes.hpp"

namespace actionhost {

class Outbox {
 public:
  explicit Outbox(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  enum class Push { queued, start_writer, overflow, refused };
  Push push(SharedBytes bytes);

  // Moves everything queued into `batch` (emptied first) and returns true; when nothing
  // is queued, marks the writer idle and returns false.
  bool take(std::vector<SharedBytes>& batch);

  // The writer finished writing `bytes` of what it took.
  void written(std::size_t bytes);

  // Refuses every later push; what is queued stays for a final flush.
  void seal();

  std::size_t queued_bytes() const;
  // True when no write is in flight or about to start.
  bool idle() const;

 private:
  mutable std::mutex mutex_;
  std::vector<SharedBytes> queue_;
  std::size_t queued_bytes_ = 0;  // queued plus taken and not yet written
  std::size_t max_bytes_;
  bool writing_ = false;
  bool sealed_ = false;
};

}  // namespace actionhost
