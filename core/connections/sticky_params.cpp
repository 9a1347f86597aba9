#include "connections/sticky_params.hpp"

#include "protocol/answers.hpp"

namespace actionhost {

const std::string& StickyParams::text() const {
  if (!text_fresh_) {
    text_ = answers::text(json_);
    text_fresh_ = true;
  }
  return text_;
}

namespace {

// A param's share of the bytes: its key and its value (the text of a string).
std::size_t param_bytes(std::string_view key, const Json& value) {
  return key.size() + (value.is_string() ? value.get_ref<const std::string&>().size() : value.dump().size());
}

}  // namespace

std::size_t StickyParams::bytes_after_set(std::string_view key, std::string_view value) const {
  auto it = json_.find(key);
  const std::size_t old = it == json_.end() ? 0 : param_bytes(key, *it);
  return bytes_ - old + key.size() + value.size();
}

void StickyParams::set(std::string_view key, std::string_view value) {
  auto it = json_.find(key);
  if (it != json_.end() && it->is_string() && it->get_ref<const std::string&>() == value) return;
  bytes_ = bytes_after_set(key, value);
  json_[std::string(key)] = value;
  text_fresh_ = false;
}

void StickyParams::erase(std::string_view key) {
  auto it = json_.find(key);
  if (it == json_.end()) return;
  bytes_ -= param_bytes(key, *it);
  json_.erase(it);
  text_fresh_ = false;
}

void StickyParams::clear() {
  json_ = Json::object();
  bytes_ = 0;
  text_fresh_ = false;
}

}  // namespace actionhost
