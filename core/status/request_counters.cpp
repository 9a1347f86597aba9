#include "status/request_counters.hpp"

#include <algorithm>
#include <unordered_map>

namespace actionhost {
namespace {

std::atomic<std::uint64_t> g_next_id{1};

// The instances alive, by id: a thread that exits gives its shard back only to an instance
// that is still there.
std::mutex g_instances_mutex;
std::unordered_map<std::uint64_t, RequestCounters*>& instances() {
  static auto* alive = new std::unordered_map<std::uint64_t, RequestCounters*>();  // outlives every thread
  return *alive;
}

// A counter only its shard's thread changes: a plain load and store, no locked instruction.
template <class T>
void add(std::atomic<T>& counter, T amount) {
  counter.store(counter.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}

struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
};

}  // namespace

struct RequestCounters::ActionCounters {
  std::array<std::atomic<std::uint64_t>, kOutcomes> outcomes{};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
  std::atomic<std::uint64_t> nanoseconds{0};
};

struct RequestCounters::Shard {
  std::mutex table_mutex;  // the owner's inserts and the scrapes' walks
  std::unordered_map<std::string, std::unique_ptr<ActionCounters>, NameHash, std::equal_to<>> actions;
  std::atomic<std::uint64_t> bytes_received{0};
  std::atomic<std::uint64_t> bytes_sent{0};

  ActionCounters& action(std::string_view name) {
    if (auto found = actions.find(name); found != actions.end()) return *found->second;
    std::lock_guard lock(table_mutex);
    return *actions.emplace(std::string(name), std::make_unique<ActionCounters>()).first->second;
  }
};

std::string_view RequestCounters::name(Outcome outcome) {
  switch (outcome) {
    case Outcome::ok:
      return "ok";
    case Outcome::error:
      return "error";
    case Outcome::timeout:
      return "timeout";
    case Outcome::refused:
      return "refused";
  }
  return "error";
}

// This thread's shard, of the instance it counted for last (usually the only one); given
// back when the thread exits, or when it counts for another instance.
struct RequestCounters::Lease {
  std::uint64_t owner = 0;
  Shard* shard = nullptr;

  void release() {
    if (!shard) return;
    std::lock_guard lock(g_instances_mutex);
    if (auto found = instances().find(owner); found != instances().end()) found->second->give_back(shard);
    shard = nullptr;
    owner = 0;
  }
  ~Lease() { release(); }
};

RequestCounters::RequestCounters() : id_(g_next_id.fetch_add(1)) {
  std::lock_guard lock(g_instances_mutex);
  instances().emplace(id_, this);
}

RequestCounters::~RequestCounters() {
  std::lock_guard lock(g_instances_mutex);
  instances().erase(id_);
}

RequestCounters::Shard& RequestCounters::shard() {
  thread_local Lease lease;
  if (lease.owner != id_) {
    lease.release();
    lease.shard = take_shard();
    lease.owner = id_;
  }
  return *lease.shard;
}

RequestCounters::Shard* RequestCounters::take_shard() {
  std::lock_guard lock(shards_mutex_);
  if (!free_.empty()) {
    Shard* reused = free_.back();
    free_.pop_back();
    return reused;
  }
  return shards_.emplace_back(std::make_unique<Shard>()).get();
}

// Called with g_instances_mutex held, so the instance cannot go meanwhile.
void RequestCounters::give_back(Shard* shard) {
  std::lock_guard lock(shards_mutex_);
  free_.push_back(shard);
}

void RequestCounters::answered(std::string_view action, Outcome outcome, std::chrono::nanoseconds took) {
  ActionCounters& counters = shard().action(action);
  add(counters.outcomes[static_cast<std::size_t>(outcome)], std::uint64_t{1});
  const double seconds = std::chrono::duration<double>(took).count();
  const auto bucket = static_cast<std::size_t>(std::lower_bound(kBuckets.begin(), kBuckets.end(), seconds) -
                                               kBuckets.begin());
  add(counters.buckets[bucket], std::uint64_t{1});
  add(counters.nanoseconds, static_cast<std::uint64_t>(std::max<std::int64_t>(took.count(), 0)));
}

void RequestCounters::received(std::size_t bytes) { add(shard().bytes_received, std::uint64_t{bytes}); }
void RequestCounters::sent(std::size_t bytes) { add(shard().bytes_sent, std::uint64_t{bytes}); }

// Calls visit(shard) for every shard, with the shards' list and the shard's table locked.
template <class Visit>
void RequestCounters::each_shard(Visit visit) const {
  std::lock_guard lock(shards_mutex_);
  for (const auto& shard : shards_) {
    std::lock_guard table(shard->table_mutex);
    visit(*shard);
  }
}

RequestCounters::Totals RequestCounters::totals() const {
  Totals totals;
  each_shard([&](const Shard& shard) {
    totals.bytes_received += shard.bytes_received.load(std::memory_order_relaxed);
    totals.bytes_sent += shard.bytes_sent.load(std::memory_order_relaxed);
    for (const auto& [name, counters] : shard.actions) {
      auto found = totals.actions.find(name);
      if (found == totals.actions.end()) found = totals.actions.emplace(name, ActionTotals{}).first;
      ActionTotals& sum = found->second;
      for (std::size_t i = 0; i < kOutcomes; ++i) {
        const auto n = counters->outcomes[i].load(std::memory_order_relaxed);
        sum.outcomes[i] += n;
        totals.answered += n;
      }
      for (std::size_t i = 0; i < sum.buckets.size(); ++i) {
        const auto n = counters->buckets[i].load(std::memory_order_relaxed);
        sum.buckets[i] += n;
        sum.count += n;
      }
      sum.seconds += static_cast<double>(counters->nanoseconds.load(std::memory_order_relaxed)) / 1e9;
    }
  });
  return totals;
}

// totals().answered without building the per-action map (the status action asks for it).
std::uint64_t RequestCounters::answered_total() const {
  std::uint64_t answered = 0;
  each_shard([&](const Shard& shard) {
    for (const auto& [name, counters] : shard.actions) {
      for (const auto& outcome : counters->outcomes) answered += outcome.load(std::memory_order_relaxed);
    }
  });
  return answered;
}

std::size_t RequestCounters::shards() const {
  std::lock_guard lock(shards_mutex_);
  return shards_.size();
}

}  // namespace actionhost
