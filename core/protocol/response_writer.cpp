#include "protocol/response_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "protocol/json_check.hpp"
#include "protocol/utf8.hpp"
#include "util/json.hpp"

namespace actionhost {
namespace {

// True for the bytes a JSON string carries as they are: printable ASCII but '"' and '\\'.
bool is_plain(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
}

}  // namespace

bool ResponseWriter::begin_field(std::string_view key) {
  if (key == "context" || key == "messageCount" || key == "messageId" || key.empty()) return false;
  if (text_.size() > 1) text_.push_back(',');
  append_string(key);
  text_.push_back(':');
  return true;
}

void ResponseWriter::append_string(std::string_view text) {
  // The usual key or value (plain ASCII) goes in with one append.
  if (std::all_of(text.begin(), text.end(), is_plain)) {
    text_.reserve(text_.size() + text.size() + 2);
    text_.push_back('"');
    text_.append(text);
    text_.push_back('"');
    return;
  }
  if (!is_valid_utf8(text)) {  // rare: let the library replace what is not UTF-8
    text_ += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
    return;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  text_.push_back('"');
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      text_.push_back('\\');
      text_.push_back(c);
    } else if (u < 0x20) {
      switch (c) {
        case '\n':
          text_ += "\\n";
          break;
        case '\r':
          text_ += "\\r";
          break;
        case '\t':
          text_ += "\\t";
          break;
        default:
          text_ += "\\u00";
          text_.push_back(kHex[u >> 4]);
          text_.push_back(kHex[u & 0xf]);
      }
    } else {
      text_.push_back(c);
    }
  }
  text_.push_back('"');
}

void ResponseWriter::json(std::string_view key, std::string_view value_json) {
  if (!is_json_value_line(value_json)) {
    if (!problem_) problem_ = "the value written for " + std::string(key) + " is not valid JSON";
    return;
  }
  if (begin_field(key)) text_ += value_json;
}

void ResponseWriter::string(std::string_view key, std::string_view value) {
  if (begin_field(key)) append_string(value);
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
