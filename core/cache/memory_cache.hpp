#pragma once
// The in-memory cache that actions share (SPEC §6), with actionhero's semantics: save with
// an optional expiry, load returning the entry's timestamps, destroy, size, increment.
// Expired entries are dropped when they are next touched, or when room is needed. Its size
// is bounded (cache.max_bytes, keys and values' JSON text together): a save past it fails
// with "cache is full" and nothing is evicted (SPEC §7). Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

class MemoryCache {
 public:
  // `max_bytes` of 0: no limit.
  explicit MemoryCache(std::size_t max_bytes = 0) : max_bytes_(max_bytes) {}

  // `expire_in_ms` of 0 keeps the entry until destroyed. `now_ms` is wall-clock ms. A
  // too_large Problem ("cache is full") when it would pass max_bytes.
  Result<> save(std::string key, Json value, std::int64_t expire_in_ms, std::int64_t now_ms);
  // {"key","value","expireTimestamp","createdAt","readAt"}; a not_found or expired Problem.
  Result<Json> load(std::string_view key, std::int64_t now_ms);
  bool destroy(std::string_view key);
  // Adds `by` to the integer under `key` and returns the sum; a missing or expired key
  // counts as 0 (and is created with no expiry), an existing one keeps its expiry. An
  // invalid Problem when the value is not an integer; "cache is full" as save().
  Result<std::int64_t> increment(std::string_view key, std::int64_t by, std::int64_t now_ms);
  std::size_t size(std::int64_t now_ms);
  // Keys and values' JSON text, of the entries held (expired ones not yet dropped included).
  std::size_t bytes() const;

 private:
  struct Entry {
    Json value;
    std::int64_t expire_at = 0;  // 0 = never
    std::int64_t created_at = 0;
    std::int64_t read_at = 0;
    std::size_t bytes = 0;  // key and value text
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  using Map = std::unordered_map<std::string, Entry, Hash, std::equal_to<>>;

  // True when `extra` more bytes fit, after dropping expired entries if need be. Locked.
  bool fits(std::size_t extra, std::int64_t now_ms);
  void drop(Map::iterator it);  // Locked.

  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  Map entries_;
  std::size_t bytes_ = 0;
};

}  // namespace actionhost
