#include "protocol/json_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

#include "protocol/utf8.hpp"

namespace actionhost {
namespace {

constexpr int kMaxDepth = 64;

// A recursive-descent reader of RFC 8259 that only says yes or no. Whitespace is limited
// to spaces and tabs: a line end would split the answer line.
class Checker {
 public:
  explicit Checker(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  bool value_at_top() {
    if (!value(0)) return false;
    skip_spaces();
    return p_ == end_;
  }

  bool object_at_top(std::initializer_list<std::string_view> reserved) {
    skip_spaces();
    if (!object(1, &reserved)) return false;
    skip_spaces();
    return p_ == end_;
  }

 private:
  void skip_spaces() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t')) ++p_;
  }
  bool eat(char c) {
    skip_spaces();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool peek(char c) {
    skip_spaces();
    return p_ < end_ && *p_ == c;
  }

  bool value(int depth) {
    skip_spaces();
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
        return object(depth + 1, nullptr);
      case '[':
        return array(depth + 1);
      case '"':
        return string(nullptr);
      case 't':
        return word("true");
      case 'f':
        return word("false");
      case 'n':
        return word("null");
      default:
        return number();
    }
  }

  // At the top level (`reserved` set), a reserved key fails the check.
  bool object(int depth, const std::initializer_list<std::string_view>* reserved) {
    if (depth > kMaxDepth || !eat('{')) return false;
    if (eat('}')) return true;
    do {
      skip_spaces();
      std::string_view key;
      if (!string(&key)) return false;
      if (reserved && (key.empty() || std::find(reserved->begin(), reserved->end(), key) != reserved->end())) {
        return false;
      }
      if (!eat(':') || !value(depth)) return false;
    } while (eat(','));
    return eat('}');
  }

  bool array(int depth) {
    if (depth > kMaxDepth || !eat('[')) return false;
    if (eat(']')) return true;
    do {
      if (!value(depth)) return false;
    } while (eat(','));
    return eat(']');
  }

  bool word(std::string_view w) {
    if (static_cast<std::size_t>(end_ - p_) < w.size() || std::string_view(p_, w.size()) != w) return false;
    p_ += w.size();
    return true;
  }

  bool digits() {
    const char* start = p_;
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    return p_ > start;
  }

  bool number() {
    const char* start = p_;
    if (p_ < end_ && *p_ == '-') ++p_;
    const char* integer = p_;
    if (p_ < end_ && *p_ == '0') {
      ++p_;
    } else if (!digits()) {
      return false;
    }
    const auto integer_digits = static_cast<std::size_t>(p_ - integer);
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (!digits()) return false;
    }
    bool exponent = false;
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      exponent = true;
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (!digits()) return false;
    }
    // A number too large for a double (1e400) is one nlohmann::json refuses: not spliceable.
    // Only an exponent or more than 308 integer digits can be that large.
    if (exponent || integer_digits > 308) {
      const std::string text(start, p_);
      if (!std::isfinite(std::strtod(text.c_str(), nullptr))) return false;
    }
    return true;
  }

  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  // After "\u": four hex digits; returns the code unit or -1.
  long code_unit() {
    if (end_ - p_ < 4) return -1;
    long unit = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hex(p_[i]);
      if (h < 0) return -1;
      unit = unit * 16 + h;
    }
    p_ += 4;
    return unit;
  }

  // A string; its text goes to `raw` when set, and is empty when it holds escapes (a
  // top-level key with escapes is left to the parse, which decodes it).
  bool string(std::string_view* raw) {
    if (p_ == end_ || *p_ != '"') return false;
    const char* start = ++p_;
    bool escaped = false;
    while (p_ < end_) {
      const unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        if (raw) *raw = escaped ? std::string_view() : std::string_view(start, p_ - start);
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c != '\\') {
        ++p_;
        continue;
      }
      escaped = true;
      if (++p_ == end_) return false;
      const char e = *p_++;
      if (e == 'u') {
        long unit = code_unit();
        if (unit < 0 || (unit >= 0xDC00 && unit <= 0xDFFF)) return false;
        if (unit >= 0xD800 && unit <= 0xDBFF) {  // must be followed by a low surrogate
          if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
          p_ += 2;
          long low = code_unit();
          if (low < 0xDC00 || low > 0xDFFF) return false;
        }
      } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
        return false;
      }
    }
    return false;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

ObjectCheck check_object(std::string_view text, std::initializer_list<std::string_view> reserved) {
  if (!is_valid_utf8(text)) return ObjectCheck::parse_it;
  return Checker(text).object_at_top(reserved) ? ObjectCheck::spliceable : ObjectCheck::parse_it;
}

bool is_json_value_line(std::string_view text) { return is_valid_utf8(text) && Checker(text).value_at_top(); }

}  // namespace actionhost
