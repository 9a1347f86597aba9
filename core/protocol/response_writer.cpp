#include "protocol/response_writer.hpp"

#include <charconv>
#include <cmath>

#include "protocol/json_check.hpp"
#include "protocol/json_text.hpp"
#include "util/json.hpp"

namespace actionhost {

bool ResponseWriter::begin_field(std::string_view key) {
  if (key == "context" || key == "messageCount" || key == "messageId" || key.empty()) return false;
  if (text_.size() > 1) text_.push_back(',');
  append_json_string(text_, key);
  text_.push_back(':');
  return true;
}

void ResponseWriter::json(std::string_view key, std::string_view value_json) {
  if (!is_json_value_line(value_json)) {
    if (!problem_) problem_ = "the value written for " + std::string(key) + " is not valid JSON";
    return;
  }
  if (begin_field(key)) text_ += value_json;
}

void ResponseWriter::string(std::string_view key, std::string_view value) {
  if (begin_field(key)) append_json_string(text_, value);
}

void ResponseWriter::number(std::string_view key, double value) {
  if (!begin_field(key)) return;
  if (!std::isfinite(value)) {
    text_ += "null";  // as nlohmann::json writes them
    return;
  }
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  text_.append(buffer, end);
  // A whole double keeps a fraction, as JSON.stringify would not but nlohmann does.
  if (std::string_view(buffer, end - buffer).find_first_of(".e") == std::string_view::npos) text_ += ".0";
}

void ResponseWriter::integer(std::string_view key, std::int64_t value) {
  if (!begin_field(key)) return;
  char buffer[24];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  text_.append(buffer, end);
}

void ResponseWriter::boolean(std::string_view key, bool value) {
  if (begin_field(key)) text_ += value ? "true" : "false";
}

std::string ResponseWriter::finish() && {
  text_.push_back('}');
  return std::move(text_);
}

}  // namespace actionhost
