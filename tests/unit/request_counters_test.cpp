#include "status/request_counters.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace actionhost {
namespace {

using Outcome = RequestCounters::Outcome;
using namespace std::chrono_literals;

TEST(RequestCounters, CountsByActionAndOutcomeWithDurationsInTheirBuckets) {
  RequestCounters counters;
  counters.answered("a", Outcome::ok, 50us);    // ≤ 0.0001 s
  counters.answered("a", Outcome::ok, 100us);   // on a bound: that bucket (le is ≤)
  counters.answered("a", Outcome::error, 3ms);  // ≤ 0.005 s
  counters.answered("b", Outcome::timeout, 20s);
  const auto totals = counters.totals();
  ASSERT_EQ(totals.actions.size(), 2u);
  const auto& a = totals.actions.at("a");
  EXPECT_EQ(a.outcomes[static_cast<std::size_t>(Outcome::ok)], 2u);
  EXPECT_EQ(a.outcomes[static_cast<std::size_t>(Outcome::error)], 1u);
  EXPECT_EQ(a.count, 3u);
  EXPECT_EQ(a.buckets[0], 2u);
  EXPECT_EQ(a.buckets[5], 1u);  // 0.005
  EXPECT_NEAR(a.seconds, 0.00315, 1e-9);
  const auto& b = totals.actions.at("b");
  EXPECT_EQ(b.buckets.back(), 1u) << "past the last bound: +Inf";
  EXPECT_EQ(totals.answered, 4u);
  EXPECT_EQ(counters.answered_total(), 4u);
}

TEST(RequestCounters, ThreadsCountApartAndAScrapeMergesThem) {
  RequestCounters counters;
  constexpr int kThreads = 4;
  constexpr int kEach = 10000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&counters, t] {
      for (int i = 0; i < kEach; ++i) {
        counters.answered(t % 2 ? "odd" : "even", Outcome::ok, 1us);
        counters.received(3);
        counters.sent(5);
      }
    });
  }
  // Scrapes while they count: never more than was counted, never a torn table.
  for (int i = 0; i < 50; ++i) EXPECT_LE(counters.answered_total(), std::uint64_t{kThreads} * kEach);
  for (auto& thread : threads) thread.join();
  const auto totals = counters.totals();
  EXPECT_EQ(totals.answered, std::uint64_t{kThreads} * kEach);
  EXPECT_EQ(totals.actions.at("odd").count, std::uint64_t{kThreads / 2} * kEach);
  EXPECT_EQ(totals.bytes_received, std::uint64_t{kThreads} * kEach * 3);
  EXPECT_EQ(totals.bytes_sent, std::uint64_t{kThreads} * kEach * 5);
}

TEST(RequestCounters, AThreadPerRequestReusesTheShardsOfThreadsThatExited) {
  RequestCounters counters;
  for (int i = 0; i < 200; ++i) {
    std::thread([&counters] { counters.answered("late", Outcome::ok, 1us); }).join();
  }
  EXPECT_EQ(counters.answered_total(), 200u);
  EXPECT_EQ(counters.shards(), 1u) << "one thread at a time: one shard";
}

TEST(RequestCounters, AThreadOutlivingItsInstanceExitsCleanly) {
  auto gone = std::make_unique<RequestCounters>();
  std::atomic<bool> counted{false};
  std::atomic<bool> release{false};
  std::thread later([&gone, &counted, &release] {
    gone->answered("x", Outcome::ok, 1us);
    counted = true;
    while (!release) std::this_thread::yield();
  });  // exits after its instance is gone: nothing to give its shard back to
  while (!counted) std::this_thread::yield();
  EXPECT_EQ(gone->answered_total(), 1u);
  gone.reset();
  release = true;
  later.join();
  RequestCounters other;
  std::thread([&other] { other.answered("y", Outcome::ok, 1us); }).join();
  EXPECT_EQ(other.answered_total(), 1u);
}

TEST(RequestCounters, TwoInstancesOnOneThreadKeepTheirOwnCounts) {
  RequestCounters first;
  RequestCounters second;
  first.answered("x", Outcome::ok, 1us);
  second.answered("x", Outcome::ok, 1us);
  first.answered("x", Outcome::ok, 1us);
  EXPECT_EQ(first.answered_total(), 2u);
  EXPECT_EQ(second.answered_total(), 1u);
  EXPECT_EQ(first.shards(), 1u) << "switching gives the shard back and takes it again";
}

}  // namespace
}  // namespace actionhost
