#pragma once
// The cache as plugins use it (SPEC §6, §9): the MemoryCache, or in cluster mode Redis,
// laid out as actionhero 20 lays its cache out (key actionhero:cache:KEY, value
// {"value","expireTimestamp","createdAt","readAt"}, expiring in Redis), so that actionhero
// and actionhost servers read each other's entries. Calls are synchronous (the plugin ABI
// is): in cluster mode they wait for Redis on the calling thread, at most 2 s, and answer
// "the cluster is unavailable" when it cannot be reached. cache.max_bytes bounds the
// MemoryCache only; Redis has its own maxmemory. Thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

#include "cache/memory_cache.hpp"
#include "cluster/cluster.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

class CacheService {
 public:
  explicit CacheService(MemoryCache& memory) : memory_(memory) {}
  void use_cluster(Cluster* cluster) { cluster_ = cluster; }

  // The MemoryCache's semantics and Problems (see memory_cache.hpp), in both modes.
  Result<> save(std::string key, Json value, std::int64_t expire_in_ms, std::int64_t now_ms);
  Result<Json> load(std::string_view key, std::int64_t now_ms);
  Result<bool> destroy(std::string_view key);
  Result<std::size_t> size(std::int64_t now_ms);
  Result<std::int64_t> increment(std::string_view key, std::int64_t by, std::int64_t now_ms);

 private:
  MemoryCache& memory_;
  Cluster* cluster_ = nullptr;
};

}  // namespace actionhost
