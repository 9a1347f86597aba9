// The UTF-8 check, against nlohmann::json's own (which throws on invalid UTF-8 when it
// serializes a string): both must agree on every input.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "protocol/utf8.hpp"
#include "util/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  const bool ours = actionhost::is_valid_utf8(text);
  bool theirs = true;
  try {
    static_cast<void>(actionhost::Json(text).dump());
  } catch (const actionhost::Json::exception&) {
    theirs = false;
  }
  if (ours != theirs) std::abort();
  return 0;
}
