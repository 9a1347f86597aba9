#pragma once
// Writes an action's response fields straight into the text of its answer (abi.h's
// ah_writer), so that a plugin's response is neither serialized by it nor parsed here:
// `{"key":value,...` grows field by field, and answers::action_response adds the tag.
// Keys and strings are escaped here; JSON values are checked (one line, valid) and a bad
// one is recorded as the writer's problem. The server's own fields are skipped.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace actionhost {

class ResponseWriter {
 public:
  ResponseWriter() { text_.reserve(128), text_.push_back('{'); }

  void json(std::string_view key, std::string_view value_json);
  void string(std::string_view key, std::string_view value);
  void number(std::string_view key, double value);
  void integer(std::string_view key, std::int64_t value);
  void boolean(std::string_view key, bool value);

  // The object's text, closed; or the first problem (a value that was not JSON).
  const std::optional<std::string>& problem() const { return problem_; }
  std::string finish() &&;

 private:
  bool begin_field(std::string_view key);  // false: skipped

  std::string text_;
  std::optional<std::string> problem_;
};

}  // namespace actionhost
