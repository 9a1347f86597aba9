// Differential: the strict JSON check that decides whether a plugin's response is spliced
// into the answer unparsed, against nlohmann::json.
//  - spliceable ⇒ nlohmann parses it to an object with none of the server's keys, and the
//    spliced answer is one line of valid JSON holding its fields plus the tag (the parse
//    path's answer may differ only where serializing changes a value, e.g. 1e400 → null);
//  - nlohmann parses an object the check refuses ⇒ the parse path still answers one line;
//  - is_json_value_line ⇒ nlohmann parses the text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/answers.hpp"
#include "protocol/json_check.hpp"

namespace {

using actionhost::Json;

// The answer the server builds when it parses the response (pending_action.cpp).
std::string parse_path(Json response, const actionhost::AnswerTag& tag) {
  for (std::string_view key : {"context", "messageCount", "messageId"}) response.erase(std::string(key));
  response["context"] = "response";
  response["messageCount"] = tag.message_count;
  return actionhost::answers::line(response);
}

void check_line(const std::string& line) {
  if (line.empty() || line.back() != '\n' || line.find('\n') != line.size() - 1) std::abort();
  if (!Json::parse(line, nullptr, false).is_object()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const actionhost::AnswerTag tag{7, std::nullopt};
  const bool spliceable = actionhost::check_object(text, {"context", "messageCount", "messageId"}) ==
                          actionhost::ObjectCheck::spliceable;
  Json parsed = Json::parse(text, nullptr, false);
  if (spliceable) {
    if (!parsed.is_object()) std::abort();
    for (const char* key : {"context", "messageCount", "messageId"}) {
      if (parsed.contains(key)) std::abort();
    }
    std::string spliced = actionhost::answers::action_response(text, tag);
    check_line(spliced);
    // The spliced answer is the response's fields plus the tag, as a client parses them.
    Json expected = parsed;
    expected["context"] = "response";
    expected["messageCount"] = tag.message_count;
    if (Json::parse(spliced) != expected) std::abort();
    check_line(parse_path(parsed, tag));
  } else if (parsed.is_object()) {
    check_line(parse_path(parsed, tag));
  }
  if (actionhost::is_json_value_line(text) && parsed.is_discarded()) std::abort();
  return 0;
}
