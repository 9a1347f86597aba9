// The JSON request reader: any line either gives an action name and a params object, or is
// refused with a message starting "invalid JSON request".
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/json_request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  auto request = actionhost::parse_json_request(line);
  if (request) {
    if (!request->params.is_object()) std::abort();
  } else if (request.problem().message.rfind("invalid JSON request", 0) != 0) {
    std::abort();
  }
  return 0;
}
