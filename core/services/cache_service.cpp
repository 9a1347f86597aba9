#include "services/cache_service.hpp"

#include <algorithm>
#include <charconv>

namespace actionhost {

using namespace cluster_keys;

namespace {

// actionhero's cache entry: {"value","expireTimestamp","createdAt","readAt"}.
std::string entry_text(const Json& value, std::int64_t expire_at, std::int64_t created_at,
                       std::int64_t read_at) {
  Json entry = {{"value", value},
                {"expireTimestamp", expire_at ? Json(expire_at) : Json(nullptr)},
                {"createdAt", created_at},
                {"readAt", read_at ? Json(read_at) : Json(nullptr)}};
  return entry.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::int64_t integer_at(const Json& entry, const char* key) {
  auto it = entry.find(key);
  return it != entry.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

// Adds ARGV[1] to the integer under KEYS[1], keeping actionhero's layout and the entry's
// expiry; a missing or expired entry counts as 0 and gets no expiry (as the MemoryCache).
// Built as text, not with cjson, whose numbers keep only 14 digits.
constexpr const char* kIncrementScript = R"lua(
local by, now = tonumber(ARGV[1]), tonumber(ARGV[2])
local value, created, expire = 0, now, nil
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, entry = pcall(cjson.decode, raw)
  if not ok or type(entry) ~= 'table' then return redis.error_reply('NOTINTEGER') end
  local at = entry.expireTimestamp
  if not (type(at) == 'number' and at <= now) then
    if type(entry.value) ~= 'number' or entry.value ~= math.floor(entry.value) then
      return redis.error_reply('NOTINTEGER')
    end
    value = entry.value
    if type(entry.createdAt) == 'number' then created = entry.createdAt end
    if type(at) == 'number' then expire = at end
  end
end
value = value + by
local text = '{"value":' .. string.format('%d', value) .. ',"expireTimestamp":' ..
  (expire and string.format('%d', expire) or 'null') .. ',"createdAt":' .. string.format('%d', created) ..
  ',"readAt":null}'
if expire then
  redis.call('SET', KEYS[1], text, 'PX', math.max(1, expire - now))
else
  redis.call('SET', KEYS[1], text)
end
return string.format('%d', value)
)lua";

// Records a read: rewrites KEYS[1] with ARGV[2] (PX ARGV[3] when not "0") only if it still
// holds ARGV[1], the text that was read, so that a save or increment made meanwhile by any
// server is never overwritten with the older value.
constexpr const char* kReadScript = R"lua(
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[3] == '0' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
return 1
)lua";

constexpr const char* kSizeScript = "return #redis.call('KEYS', ARGV[1])";

std::string glob_escaped(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

}  // namespace

Result<> CacheService::save(std::string key, Json value, std::int64_t expire_in_ms, std::int64_t now_ms) {
  if (!cluster_) return memory_.save(std::move(key), std::move(value), expire_in_ms, now_ms);
  std::vector<std::string> args = {"SET", kCachePrefix + key,
                                   entry_text(value, expire_in_ms > 0 ? now_ms + expire_in_ms : 0, now_ms, 0)};
  if (expire_in_ms > 0) {
    args.push_back("PX");
    args.push_back(std::to_string(expire_in_ms));
  }
  auto reply = cluster_->call(std::move(args));
  if (!reply) return std::move(reply).problem();
  if (reply->is_error()) return Problem::internal("redis refused the save: " + reply->text);
  return {};
}

Result<Json> CacheService::load(std::string_view key, std::int64_t now_ms) {
  if (!cluster_) return memory_.load(key, now_ms);
  const std::string redis_key = kCachePrefix + std::string(key);
  auto reply = cluster_->call({"GET", redis_key});
  if (!reply) return std::move(reply).problem();
  if (reply->type != RedisReply::Type::string) return Problem::not_found("no such key in the cache");
  Json entry = Json::parse(reply->text, nullptr, false);
  if (!entry.is_object() || !entry.contains("value")) return Problem::not_found("no such key in the cache");
  const std::int64_t expire_at = integer_at(entry, "expireTimestamp");
  if (expire_at != 0 && expire_at <= now_ms) return Problem::expired("the cache entry expired");
  // Record the read as actionhero does, keeping the expiry (to the millisecond, where
  // actionhero rounds it down to whole seconds), unless the entry changed since it was read.
  const std::int64_t created_at = integer_at(entry, "createdAt");
  cluster_->command({"EVAL", kReadScript, "1", redis_key, reply->text,
                     entry_text(entry["value"], expire_at, created_at, now_ms),
                     std::to_string(expire_at != 0 ? std::max<std::int64_t>(1, expire_at - now_ms) : 0)});
  return Json{{"key", key},
              {"value", entry["value"]},
              {"expireTimestamp", expire_at ? Json(expire_at) : Json(nullptr)},
              {"createdAt", created_at},
              {"readAt", now_ms}};
}

Result<bool> CacheService::destroy(std::string_view key) {
  if (!cluster_) return memory_.destroy(key);
  auto reply = cluster_->call({"DEL", kCachePrefix + std::string(key)});
  if (!reply) return std::move(reply).problem();
  return reply->type == RedisReply::Type::integer && reply->integer > 0;
}

Result<std::size_t> CacheService::size(std::int64_t now_ms) {
  if (!cluster_) return memory_.size(now_ms);
  auto reply = cluster_->call({"EVAL", kSizeScript, "0", glob_escaped(kCachePrefix) + "*"});
  if (!reply) return std::move(reply).problem();
  return static_cast<std::size_t>(reply->type == RedisReply::Type::integer ? reply->integer : 0);
}

Result<std::int64_t> CacheService::increment(std::string_view key, std::int64_t by, std::int64_t now_ms) {
  if (!cluster_) return memory_.increment(key, by, now_ms);
  auto reply = cluster_->call({"EVAL", kIncrementScript, "1", kCachePrefix + std::string(key),
                               std::to_string(by), std::to_string(now_ms)});
  if (!reply) return std::move(reply).problem();
  if (reply->is_error()) {
    if (reply->text.find("NOTINTEGER") != std::string::npos) {
      return Problem::invalid("the cached value is not an integer");
    }
    return Problem::internal("redis refused the increment: " + reply->text);
  }
  std::int64_t sum = 0;
  const std::string& text = reply->text;
  if (std::from_chars(text.data(), text.data() + text.size(), sum).ec != std::errc()) {
    return Problem::internal("redis answered the increment with " + text);
  }
  return sum;
}

}  // namespace actionhost
