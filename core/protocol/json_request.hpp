#pragma once
// A request line that is a JSON object: {"action":"name","params":{...}} (SPEC §4.2).

#include <string>
#include <string_view>

#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

struct JsonRequest {
  std::string action;
  Json params = Json::object();
};

// Nesting deeper than this is refused before parsing, so no request can exhaust the
// stack of code that walks the document recursively.
inline constexpr std::size_t kMaxJsonDepth = 64;

// True when brackets outside strings nest deeper than `limit`: checked before parsing text
// a client sent, so that nothing recurses that deep on it.
bool nests_deeper_than(std::string_view text, std::size_t limit);

// The request, or why the line is refused: "invalid JSON request: ...".
Result<JsonRequest> parse_json_request(std::string_view line);

}  // namespace actionhost
