#include "printer.hpp"

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <ctime>

namespace actionhost::cli {
namespace {

constexpr const char* kKey = "\033[1;34m";
constexpr const char* kString = "\033[32m";
constexpr const char* kNumber = "\033[36m";
constexpr const char* kBoolean = "\033[33m";
constexpr const char* kNull = "\033[90m";
constexpr const char* kError = "\033[1;31m";
constexpr const char* kRoom = "\033[35m";
constexpr const char* kSender = "\033[90m";
constexpr const char* kReset = "\033[0m";

// JSON text of a scalar, as the server would write it (UTF-8 kept, bad bytes replaced).
std::string scalar_text(const Json& value) {
  return value.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

std::string clock_time(const Json& sent_at) {
  if (!sent_at.is_number()) return "";
  std::time_t seconds = static_cast<std::time_t>(sent_at.get<double>() / 1000);
  std::tm local{};
  if (!localtime_r(&seconds, &local)) return "";
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &local);
  return text;
}

// Text from other people, made safe for a terminal: control characters (C0, DEL and C1,
// which could move the cursor or recolour the screen) are shown in caret notation.
std::string printable(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c < 0x20 || c == 0x7f) {
      out += '^';
      out += static_cast<char>(c ^ 0x40);
    } else if (c == 0xc2 && next >= 0x80 && next <= 0x9f) {
      out += "^[";  // a C1 control: ESC and a letter, in caret notation
      out += static_cast<char>(next - 0x40);
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

Printer::Style Printer::style_for(int fd) {
  Style style;
  style.pretty = isatty(fd) == 1;
  const char* term = std::getenv("TERM");
  const char* no_colour = std::getenv("NO_COLOR");
  style.colour = style.pretty && !(no_colour && *no_colour) && !(term && std::strcmp(term, "dumb") == 0);
  return style;
}

std::string Printer::paint(const std::string& text, const char* colour) const {
  if (!style_.colour) return text;
  return colour + text + kReset;
}

void Printer::pretty_json(const Json& value, int depth, bool is_error, std::string& out) const {
  const std::string indent(2 * (depth + 1), ' ');
  const std::string closing_indent(2 * depth, ' ');
  if (value.is_object() && !value.empty()) {
    out += "{\n";
    std::size_t left = value.size();
    for (auto it = value.begin(); it != value.end(); ++it) {
      out += indent + paint(scalar_text(Json(it.key())), kKey) + ": ";
      pretty_json(it.value(), depth + 1, depth == 0 && it.key() == "error", out);
      out += --left > 0 ? ",\n" : "\n";
    }
    out += closing_indent + "}";
  } else if (value.is_array() && !value.empty()) {
    out += "[\n";
    std::size_t left = value.size();
    for (const auto& element : value) {
      out += indent;
      pretty_json(element, depth + 1, false, out);
      out += --left > 0 ? ",\n" : "\n";
    }
    out += closing_indent + "]";
  } else if (is_error) {
    out += paint(scalar_text(value), kError);
  } else if (value.is_string()) {
    out += paint(scalar_text(value), kString);
  } else if (value.is_number()) {
    out += paint(scalar_text(value), kNumber);
  } else if (value.is_boolean()) {
    out += paint(scalar_text(value), kBoolean);
  } else {
    out += paint(scalar_text(value), kNull);  // null, {} and []
  }
}

std::string Printer::answer(const Message& message) const {
  if (!style_.pretty || message.json.is_discarded()) return message.raw + "\n";
  std::string out;
  pretty_json(message.json, 0, false, out);
  return out + "\n";
}

std::string Printer::chat(const Message& message) const {
  if (!style_.pretty || !message.is_object()) return message.raw + "\n";
  const Json& json = message.json;
  auto room = json.find("room");
  auto from = json.find("from");
  auto text = json.find("message");
  if (room == json.end() || from == json.end() || text == json.end()) return answer(message);
  // 12:34:56 [defaultRoom] SENDER: message   (SENDER a connection id, or "server" for 0)
  std::string sender = printable(from->is_string() ? from->get<std::string>() : scalar_text(*from));
  if (sender == "0") sender = "server";
  std::string line;
  if (auto time = clock_time(json.value("sentAt", Json())); !time.empty()) line += time + " ";
  line += paint("[" + printable(room->is_string() ? room->get<std::string>() : scalar_text(*room)) + "]",
                kRoom);
  line += " " + paint(sender, kSender) + ": ";
  line += printable(text->is_string() ? text->get<std::string>() : scalar_text(*text));
  return line + "\n";
}

std::string Printer::file(const std::string& bytes) const {
  if (!style_.pretty || (!bytes.empty() && bytes.back() == '\n')) return bytes;
  return bytes + "\n";
}

}  // namespace actionhost::cli
