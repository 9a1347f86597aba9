#pragma once
// An ah_sink (abi.h) that appends what a plugin hands over to a std::string.

#include <cstddef>
#include <string>

namespace actionhost {

inline void append_to_string(void* target, const char* data, std::size_t size) {
  static_cast<std::string*>(target)->append(data, size);
}

}  // namespace actionhost
