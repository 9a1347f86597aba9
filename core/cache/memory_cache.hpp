#pragma once
// The in-memory cache that actions share (SPEC §6), with actionhero's semantics: save with
// an optional expiry, load returning the entry's timestamps, destroy, size. Expired entries
// are dropped when they are next touched. Thread-safe.

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
  // `expire_in_ms` of 0 keeps the entry until destroyed. `now_ms` is wall-clock ms.
  void save(std::string key, Json value, std::int64_t expire_in_ms, std::int64_t now_ms);
  // {"key","value","expireTimestamp","createdAt","readAt"}; a not_found or expired Problem.
  Result<Json> load(std::string_view key, std::int64_t now_ms);
  bool destroy(std::string_view key);
  // Adds `by` to the integer under `key` and returns the sum; a missing or expired key
  // counts as 0 (and is created with no expiry), an existing one keeps its expiry. An
  // invalid Problem when the value is not an integer.
  Result<std::int64_t> increment(std::string_view key, std::int64_t by, std::int64_t now_ms);
  std::size_t size(std::int64_t now_ms);

 private:
  struct Entry {
    Json value;
    std::int64_t expire_at = 0;  // 0 = never
    std::int64_t created_at = 0;
    std::int64_t read_at = 0;
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  std::mutex mutex_;
  std::unordered_map<std::string, Entry, Hash, std::equal_to<>> entries_;
};

}  // namespace actionhost
