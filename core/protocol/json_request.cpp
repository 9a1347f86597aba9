#include "protocol/json_request.hpp"

namespace actionhost {

bool nests_deeper_than(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return false;
}

namespace {

Problem refuse(std::string why) { return Problem::invalid("invalid JSON request: " + std::move(why)); }

}  // namespace

Result<JsonRequest> parse_json_request(std::string_view line) {
  if (nests_deeper_than(line, kMaxJsonDepth)) {
    return refuse("nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  Json document;
  try {
    document = Json::parse(line);
  } catch (const Json::exception& e) {  // parse_error, or out_of_range for a number too large
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix: it means nothing to a client.
    if (auto end = what.find("] "); what.rfind("[json.exception", 0) == 0 && end != std::string::npos) {
      what.erase(0, end + 2);
    }
    return refuse(what);
  }
  const char* shape = R"(expected {"action":"NAME","params":{...}})";
  if (!document.is_object()) return refuse(shape);
  auto action = document.find("action");
  if (action == document.end() || !action->is_string()) return refuse(shape);
  JsonRequest request;
  request.action = action->get<std::string>();
  if (auto params = document.find("params"); params != document.end()) {
    if (!params->is_object()) return refuse(shape);
    request.params = std::move(*params);
  }
  return request;
}

}  // namespace actionhost
