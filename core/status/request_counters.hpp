#pragma once
// What the server's threads count as they serve (SPEC §10): actions answered, by action and
// outcome, with their durations; bytes received and sent. Each thread counts into a shard
// of its own, with no lock and no shared cache line on the request path; a scrape (the
// metrics endpoint, the status action) merges the shards.
//
// A shard is written by its thread alone. Its counters are atomics only so that a scrape
// may read them while they change (relaxed loads and stores, never a locked increment).
// Its table of actions changes only when its thread meets an action it has not counted
// yet: that insert, and a scrape's walk of the table, hold the shard's mutex; the thread's
// own lookups need no lock, since nobody else writes the table.
//
// A thread takes a shard at its first count (under a lock: the I/O threads and workers
// once, a plugin's thread made per request once per request) and gives it back when it
// exits; the next new thread goes on counting in it. So there are never more shards than
// threads alive at once, and no count is lost.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace actionhost {

class RequestCounters {
 public:
  // How an action call ended, as `outcome` in actionhost_requests_total.
  enum class Outcome : std::uint8_t {
    ok,       // answered with its response
    error,    // answered with an error by the action or a hook
    timeout,  // answered "the action timed out"
    refused,  // refused before its body ran (unknown, params, pending limit, shutting down)
  };
  static constexpr std::size_t kOutcomes = 4;
  static std::string_view name(Outcome outcome);

  // Upper bounds (seconds) of actionhost_request_duration_seconds' buckets; +Inf follows.
  static constexpr std::array<double, 16> kBuckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  // The action label for calls whose action is not known (a refused unknown name): names
  // a client invents must not become series.
  static constexpr std::string_view kUnknownAction = "(unknown)";

  RequestCounters();
  ~RequestCounters();
  RequestCounters(const RequestCounters&) = delete;
  struct Lease;  // a thread's hold on a shard
  RequestCounters& operator=(const RequestCounters&) = delete;

  void answered(std::string_view action, Outcome outcome, std::chrono::nanoseconds took);
  void received(std::size_t bytes);
  void sent(std::size_t bytes);

  struct ActionTotals {
    std::array<std::uint64_t, kOutcomes> outcomes{};
    std::array<std::uint64_t, kBuckets.size() + 1> buckets{};  // not cumulative; the last is +Inf
    std::uint64_t count = 0;
    double seconds = 0;  // the durations' sum
  };
  struct Totals {
    std::map<std::string, ActionTotals, std::less<>> actions;  // by name, sorted
    std::uint64_t answered = 0;
    std::uint64_t bytes_received = 0;
    std::uint64_t bytes_sent = 0;
  };
  Totals totals() const;
  std::uint64_t answered_total() const;  // every action answered, errors included
  std::size_t shards() const;            // threads that count at once, at most

 private:
  struct ActionCounters;
  struct Shard;
  Shard& shard();
  Shard* take_shard();
  template <class Visit>
  void each_shard(Visit visit) const;
  void give_back(Shard* shard);

  const std::uint64_t id_;  // tells this instance from another (or a later one at the same address)
  mutable std::mutex shards_mutex_;
  std::vector<std::unique_ptr<Shard>> shards_;  // every shard, held by a thread or free
  std::vector<Shard*> free_;                    // given back by threads that exited
};

}  // namespace actionhost
