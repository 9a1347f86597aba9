#pragma once
// A connection's sticky params (SPEC §4.2, §4.3 paramAdd…): string values in the order
// they were added, and their JSON text, serialized once per change. The text is what an
// action called by name hands to its plugin, so repeated calls with unchanged params do
// not serialize them again.

#include <cstddef>
#include <string>
#include <string_view>

#include "util/json.hpp"

namespace actionhost {

class StickyParams {
 public:
  const Json& json() const { return json_; }
  // The params as JSON text (answers::text), up to date with the last change.
  const std::string& text() const;

  // Sets `key` to the string `value`; setting the value it already has changes nothing.
  void set(std::string_view key, std::string_view value);
  void erase(std::string_view key);
  void clear();

  std::size_t size() const { return json_.size(); }
  // Keys and values together, in bytes (socket.max_params_bytes).
  std::size_t bytes() const { return bytes_; }
  // The size() and bytes() that set(key, value) would give.
  std::size_t size_after_set(std::string_view key) const { return size() + (json_.contains(key) ? 0 : 1); }
  std::size_t bytes_after_set(std::string_view key, std::string_view value) const;

 private:
  Json json_ = Json::object();
  mutable std::string text_;
  mutable bool text_fresh_ = false;
  std::size_t bytes_ = 0;
};

}  // namespace actionhost
