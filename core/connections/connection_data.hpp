#pragma once
// Connection data (SPEC §5.3): JSON values plugins attach to one connection under a key,
// seen by every plugin's hooks and actions on it, never sent to the client, dropped with the
// connection. Plugins reach it from any thread, so it has its own lock.

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "util/json.hpp"

namespace actionhost {

class ConnectionData {
 public:
  std::optional<Json> get(std::string_view key) const {
    std::lock_guard lock(mutex_);
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  void set(std::string_view key, Json value) {
    std::lock_guard lock(mutex_);
    values_.insert_or_assign(std::string(key), std::move(value));
  }
  void erase(std::string_view key) {
    std::lock_guard lock(mutex_);
    if (auto it = values_.find(key); it != values_.end()) values_.erase(it);
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Json, std::less<>> values_;
};

}  // namespace actionhost
