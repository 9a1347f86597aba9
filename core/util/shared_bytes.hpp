#pragma once
// Bytes serialized once and shared, read-only, by every connection they are sent to.

#include <memory>
#include <string>

namespace actionhost {

using SharedBytes = std::shared_ptr<const std::string>;

inline SharedBytes share_bytes(std::string bytes) {
  return std::make_shared<const std::string>(std::move(bytes));
}

}  // namespace actionhost
