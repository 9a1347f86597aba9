#include "cache/memory_cache.hpp"

#include <iterator>

namespace actionhost {

void MemoryCache::save(std::string key, Json value, std::int64_t expire_in_ms, std::int64_t now_ms) {
  Entry entry{std::move(value), expire_in_ms > 0 ? now_ms + expire_in_ms : 0, now_ms, 0};
  std::lock_guard lock(mutex_);
  entries_.insert_or_assign(std::move(key), std::move(entry));
}

Result<Json> MemoryCache::load(std::string_view key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return Problem::not_found("no such key in the cache");
  Entry& entry = it->second;
  if (entry.expire_at != 0 && entry.expire_at <= now_ms) {
    entries_.erase(it);
    return Problem::expired("the cache entry expired");
  }
  entry.read_at = now_ms;
  return Json{{"key", it->first},
              {"value", entry.value},
              {"expireTimestamp", entry.expire_at ? Json(entry.expire_at) : Json(nullptr)},
              {"createdAt", entry.created_at},
              {"readAt", entry.read_at}};
}

Result<std::int64_t> MemoryCache::increment(std::string_view key, std::int64_t by, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.expire_at != 0 && it->second.expire_at <= now_ms) {
    entries_.erase(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    entries_.emplace(std::string(key), Entry{Json(by), 0, now_ms, 0});
    return by;
  }
  Entry& entry = it->second;
  if (!entry.value.is_number_integer()) return Problem::invalid("the cached value is not an integer");
  const std::int64_t sum = entry.value.get<std::int64_t>() + by;
  entry.value = sum;
  return sum;
}

bool MemoryCache::destroy(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

std::size_t MemoryCache::size(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = (it->second.expire_at != 0 && it->second.expire_at <= now_ms) ? entries_.erase(it) : std::next(it);
  }
  return entries_.size();
}

}  // namespace actionhost
