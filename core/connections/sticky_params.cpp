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

void StickyParams::set(std::string_view key, std::string_view value) {
  auto it = json_.find(key);
  if (it != json_.end() && it->is_string() && it->get_ref<const std::string&>() == value) return;
  json_[std::string(key)] = value;
  text_fresh_ = false;
}

void StickyParams::erase(std::string_view key) {
  if (json_.erase(std::string(key)) > 0) text_fresh_ = false;
}

void StickyParams::clear() {
  json_ = Json::object();
  text_fresh_ = false;
}

}  // namespace actionhost
