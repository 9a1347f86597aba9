#include "cache/memory_cache.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(MemoryCache, SaveLoadDestroyAndSize) {
  MemoryCache cache;
  cache.save("k", "v", 0, 1000);
  EXPECT_EQ(cache.size(1000), 1u);
  Json entry;
  ASSERT_EQ(cache.load("k", 1500, entry), MemoryCache::LoadResult::found);
  EXPECT_EQ(entry, (Json{{"key", "k"}, {"value", "v"}, {"expireTimestamp", nullptr}, {"createdAt", 1000},
                         {"readAt", 1500}}));
  EXPECT_TRUE(cache.destroy("k"));
  EXPECT_FALSE(cache.destroy("k"));
  EXPECT_EQ(cache.load("k", 1500, entry), MemoryCache::LoadResult::not_found);
  EXPECT_EQ(cache.size(1500), 0u);
}

TEST(MemoryCache, EntriesExpire) {
  MemoryCache cache;
  cache.save("k", Json{{"a", 1}}, 5000, 1000);
  Json entry;
  ASSERT_EQ(cache.load("k", 5999, entry), MemoryCache::LoadResult::found);
  EXPECT_EQ(entry["expireTimestamp"], 6000);
  EXPECT_EQ(cache.load("k", 6000, entry), MemoryCache::LoadResult::expired);
  EXPECT_EQ(cache.load("k", 6000, entry), MemoryCache::LoadResult::not_found);  // dropped
  cache.save("a", 1, 10, 0);
  cache.save("b", 2, 0, 0);
  EXPECT_EQ(cache.size(100), 1u);  // size does not count expired entries
}

TEST(MemoryCache, SavingAgainReplacesAndResetsTheTimestamps) {
  MemoryCache cache;
  cache.save("k", 1, 0, 10);
  cache.save("k", 2, 0, 20);
  Json entry;
  cache.load("k", 30, entry);
  EXPECT_EQ(entry["value"], 2);
  EXPECT_EQ(entry["createdAt"], 20);
}

}  // namespace
}  // namespace actionhost
