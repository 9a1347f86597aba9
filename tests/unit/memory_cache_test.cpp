#include "cache/memory_cache.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(MemoryCache, SaveLoadDestroyAndSize) {
  MemoryCache cache;
  EXPECT_TRUE(cache.save("k", "v", 0, 1000));
  EXPECT_EQ(cache.size(1000), 1u);
  auto entry = cache.load("k", 1500);
  ASSERT_TRUE(entry);
  EXPECT_EQ(*entry, (Json{{"key", "k"},
                          {"value", "v"},
                          {"expireTimestamp", nullptr},
                          {"createdAt", 1000},
                          {"readAt", 1500}}));
  EXPECT_TRUE(cache.destroy("k"));
  EXPECT_FALSE(cache.destroy("k"));
  EXPECT_EQ(cache.load("k", 1500).problem().kind, Problem::Kind::not_found);
  EXPECT_EQ(cache.size(1500), 0u);
}

TEST(MemoryCache, EntriesExpire) {
  MemoryCache cache;
  EXPECT_TRUE(cache.save("k", Json{{"a", 1}}, 5000, 1000));
  auto entry = cache.load("k", 5999);
  ASSERT_TRUE(entry);
  EXPECT_EQ((*entry)["expireTimestamp"], 6000);
  EXPECT_EQ(cache.load("k", 6000).problem().kind, Problem::Kind::expired);
  EXPECT_EQ(cache.load("k", 6000).problem().kind, Problem::Kind::not_found);  // dropped
  EXPECT_TRUE(cache.save("a", 1, 10, 0));
  EXPECT_TRUE(cache.save("b", 2, 0, 0));
  EXPECT_EQ(cache.size(100), 1u);  // size does not count expired entries
}

TEST(MemoryCache, SavingAgainReplacesAndResetsTheTimestamps) {
  MemoryCache cache;
  EXPECT_TRUE(cache.save("k", 1, 0, 10));
  EXPECT_TRUE(cache.save("k", 2, 0, 20));
  auto entry = cache.load("k", 30);
  ASSERT_TRUE(entry);
  EXPECT_EQ((*entry)["value"], 2);
  EXPECT_EQ((*entry)["createdAt"], 20);
}

TEST(MemoryCache, IncrementAddsToAnIntegerAndKeepsItsExpiry) {
  MemoryCache cache;
  EXPECT_EQ(*cache.increment("n", 2, 1000), 2);  // missing: counts as 0, never expires
  EXPECT_EQ(*cache.increment("n", -5, 1000), -3);
  EXPECT_TRUE(cache.save("t", 10, 100, 1000));  // expires at 1100
  EXPECT_EQ(*cache.increment("t", 1, 1050), 11);
  EXPECT_EQ((*cache.load("t", 1060))["expireTimestamp"], 1100);
  EXPECT_EQ(*cache.increment("t", 1, 1200), 1);  // expired: starts again from 0
  EXPECT_TRUE(cache.save("s", "text", 0, 1000));
  auto refused = cache.increment("s", 1, 1000);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.problem().message, "the cached value is not an integer");
}

TEST(MemoryCache, AFullCacheRefusesASaveAndEvictsNothing) {
  MemoryCache cache(20);
  ASSERT_TRUE(cache.save("k1", "0123456789", 0, 1000));  // 2 + 12 bytes
  EXPECT_EQ(cache.bytes(), 14u);
  auto refused = cache.save("k2", "abcd", 0, 1000);  // 2 + 6 more would be 22
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.problem().message, "cache is full");
  EXPECT_TRUE(cache.load("k1", 1000));
  ASSERT_TRUE(cache.save("k1", "ab", 0, 1000));  // a smaller value replaces: 6 bytes
  ASSERT_TRUE(cache.save("k2", "abcd", 0, 1000));
  EXPECT_EQ(cache.bytes(), 14u);
  // Expired entries make room when room is needed.
  ASSERT_TRUE(cache.destroy("k2"));
  ASSERT_TRUE(cache.save("k3", "0123", 50, 1000));
  EXPECT_TRUE(cache.save("k4", "0123456789", 0, 2000));
  EXPECT_FALSE(cache.load("k3", 2000));
}

}  // namespace
}  // namespace actionhost
