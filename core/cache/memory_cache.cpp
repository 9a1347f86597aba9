#include "cache/memory_cache.hpp"

#include <iterator>

namespace actionhost {
namespace {

std::size_t text_size(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace).size();
}

Problem cache_full() { return Problem::too_large("cache is full"); }

}  // namespace

bool MemoryCache::fits(std::size_t extra, std::int64_t now_ms) {
  if (max_bytes_ == 0 || bytes_ + extra <= max_bytes_) return true;
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (it->second.expire_at != 0 && it->second.expire_at <= now_ms) drop(it);
    it = next;
  }
  return bytes_ + extra <= max_bytes_;
}

void MemoryCache::drop(Map::iterator it) {
  bytes_ -= it->second.bytes;
  entries_.erase(it);
}

Result<> MemoryCache::save(std::string key, Json value, std::int64_t expire_in_ms, std::int64_t now_ms) {
  const std::size_t bytes = key.size() + text_size(value);
  Entry entry{std::move(value), expire_in_ms > 0 ? now_ms + expire_in_ms : 0, now_ms, 0, bytes};
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  const std::size_t replaced = it == entries_.end() ? 0 : it->second.bytes;
  if (bytes > replaced && !fits(bytes - replaced, now_ms)) return cache_full();
  it = entries_.find(key);  // fits() may have dropped it, if it had expired
  if (it != entries_.end()) drop(it);
  bytes_ += bytes;
  entries_.emplace(std::move(key), std::move(entry));
  return {};
}

Result<Json> MemoryCache::load(std::string_view key, std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return Problem::not_found("no such key in the cache");
  Entry& entry = it->second;
  if (entry.expire_at != 0 && entry.expire_at <= now_ms) {
    drop(it);
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
    drop(it);
    it = entries_.end();
  }
  if (it == entries_.end()) {
    const std::size_t bytes = key.size() + text_size(Json(by));
    if (!fits(bytes, now_ms)) return cache_full();
    bytes_ += bytes;
    entries_.emplace(std::string(key), Entry{Json(by), 0, now_ms, 0, bytes});
    return by;
  }
  Entry& entry = it->second;
  if (!entry.value.is_number_integer()) return Problem::invalid("the cached value is not an integer");
  const std::int64_t sum = entry.value.get<std::int64_t>() + by;
  const std::size_t bytes = key.size() + text_size(Json(sum));
  // fits() may drop other, expired entries; this one is live, so `entry` stays valid.
  if (bytes > entry.bytes && !fits(bytes - entry.bytes, now_ms)) return cache_full();
  bytes_ = bytes_ - entry.bytes + bytes;
  entry.bytes = bytes;
  entry.value = sum;
  return sum;
}

bool MemoryCache::destroy(std::string_view key) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return false;
  drop(it);
  return true;
}

std::size_t MemoryCache::size(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto next = std::next(it);
    if (it->second.expire_at != 0 && it->second.expire_at <= now_ms) drop(it);
    it = next;
  }
  return entries_.size();
}

std::size_t MemoryCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace actionhost
