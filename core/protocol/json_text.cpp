#include "protocol/json_text.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstring>

namespace actionhost {
namespace {

// A byte a JSON string carries as it is: printable ASCII but '"' and '\\' (DEL included, as
// nlohmann leaves it when not escaping to ASCII).
bool is_plain(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
}

// Whether every byte of `text` is plain: eight at a time, then one by one. For a word w of
// bytes under 0x80, (w - 0x01..01 * n) & ~w & 0x80..80 is non-zero exactly when some byte
// is below n; a byte equal to b is a zero byte of w ^ (0x01..01 * b).
bool all_plain(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
  auto has_below = [](std::uint64_t w, std::uint64_t n) { return ((w - kOnes * n) & ~w & kHighs) != 0; };
  auto has_byte = [](std::uint64_t w, std::uint64_t b) {
    const std::uint64_t x = w ^ (kOnes * b);
    return ((x - kOnes) & ~x & kHighs) != 0;
  };
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, text.data() + i, sizeof w);
    if ((w & kHighs) || has_below(w, 0x20) || has_byte(w, '"') || has_byte(w, '\\')) return false;
  }
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(), is_plain);
}

void append_by_nlohmann(std::string& out, const Json& value) {
  out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

template <class Integer>
void append_integer(std::string& out, Integer value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  if (all_plain(text)) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  append_by_nlohmann(out, Json(std::string(text)));
}

void append_json(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      out += "null";
      return;
    case Json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
      append_integer(out, value.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      append_integer(out, value.get<std::uint64_t>());
      return;
    case Json::value_t::string:
      append_json_string(out, value.get_ref<const std::string&>());
      return;
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, it.key());
        out += ':';
        append_json(out, it.value());
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& element : value) {
        if (!first) out += ',';
        first = false;
        append_json(out, element);
      }
      out += ']';
      return;
    }
    case Json::value_t::number_float:  // nlohmann's shortest form ("1.0", "1e+20")
    case Json::value_t::binary:
    case Json::value_t::discarded:
      append_by_nlohmann(out, value);
      return;
  }
}

}  // namespace actionhost
