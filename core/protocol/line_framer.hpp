#pragma once
// Splits a connection's byte stream into request lines (SPEC §4.2, §4.3, §7).
//
// A line ends at `\n` or `\r`; empty lines are dropped. A line longer than the limit is
// reported once, as soon as it is known to be too long, and its bytes are discarded up
// to its end, so memory stays bounded by the limit plus one read. Telnet's interrupt
// (IAC IP, bytes FF F4, which Ctrl-C sends as FF F4 FF FD 06) and Ctrl-D (04) end the
// stream: lines completed before them are still delivered, the rest is dropped.

#include <cstddef>
#include <string>
#include <string_view>

namespace actionhost {

class LineFramer {
 public:
  enum class Event { line, overlong_line, hangup };

  explicit LineFramer(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

  // Calls `sink(Event, std::string_view line)` for each event, in stream order; `line` is
  // empty except for Event::line and is valid only during the call. The sink returns
  // false to stop: the rest of `chunk` is then dropped. After a hangup nothing more is
  // delivered. Returns false when stopped or hung up.
  template <class Sink>
  bool feed(std::string_view chunk, Sink&& sink);

  std::size_t buffered_bytes() const { return partial_.size(); }

 private:
  static bool is_special(unsigned char c) { return c == '\n' || c == '\r' || c == 0x04 || c == 0xFF; }

  std::size_t max_line_bytes_;
  std::string partial_;      // the start of a line whose end has not arrived yet
  bool discarding_ = false;  // inside a line already reported as too long
  bool after_iac_ = false;   // the previous byte was telnet's IAC (FF)
  bool hung_up_ = false;
};

template <class Sink>
bool LineFramer::feed(std::string_view chunk, Sink&& sink) {
  if (hung_up_) return false;
  const char* data = chunk.data();
  const std::size_t size = chunk.size();
  std::size_t start = 0;  // first byte of the current line within chunk
  for (std::size_t i = 0; i < size; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (after_iac_) {
      after_iac_ = false;
      if (c == 0xF4) {
        hung_up_ = true;
        sink(Event::hangup, std::string_view{});
        return false;
      }
    }
    if (!is_special(c)) continue;
    if (c == 0xFF) {
      after_iac_ = true;
      continue;
    }
    if (c == 0x04) {
      hung_up_ = true;
      sink(Event::hangup, std::string_view{});
      return false;
    }
    // End of a line.
    std::string_view tail(data + start, i - start);
    start = i + 1;
    if (discarding_) {
      discarding_ = false;
      partial_.clear();
      continue;
    }
    std::string_view line = tail;
    if (!partial_.empty()) {
      partial_.append(tail);
      line = partial_;
    }
    bool go_on = true;
    if (line.size() > max_line_bytes_) {
      go_on = sink(Event::overlong_line, std::string_view{});
    } else if (!line.empty()) {
      go_on = sink(Event::line, line);
    }
    partial_.clear();
    if (!go_on) return false;
  }
  if (discarding_) return true;
  std::string_view rest(data + start, size - start);
  if (partial_.size() + rest.size() > max_line_bytes_) {
    partial_.clear();
    discarding_ = true;
    return sink(Event::overlong_line, std::string_view{});
  }
  partial_.append(rest);
  return true;
}

}  // namespace actionhost
