#include "dispatch/action_log.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

#include <spdlog/spdlog.h>

namespace actionhost {
namespace {

constexpr std::size_t kMaxLoggedName = 128;
constexpr std::size_t kMaxLoggedError = 1024;
constexpr std::size_t kMaxLoggedParams = 2048;
// Failed-action lines a second, at most: refusals are a client's to cause at line rate.
constexpr int kFailedLinesPerSecond = 200;

// Holds failed-action lines to kFailedLinesPerSecond; the lines left out are counted and
// said with the next line let through.
class FailedLineLimit {
 public:
  // True when this line may be written; `suppressed` is then the count to report first.
  bool admit(std::uint64_t& suppressed) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    if (now - window_ >= std::chrono::seconds(1)) {
      window_ = now;
      in_window_ = 0;
    }
    if (in_window_ >= kFailedLinesPerSecond) {
      ++suppressed_;
      return false;
    }
    ++in_window_;
    suppressed = std::exchange(suppressed_, 0);
    return true;
  }

 private:
  std::mutex mutex_;
  std::chrono::steady_clock::time_point window_{};
  int in_window_ = 0;
  std::uint64_t suppressed_ = 0;
};

FailedLineLimit g_failed_lines;

// `text` cut at `max` bytes, on a UTF-8 character boundary.
std::string cut(std::string text, std::size_t max) {
  if (text.size() <= max) return text;
  std::size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  text.resize(end);
  return text + "…";
}

// Text a client or a plugin chose, safe for one log line: control characters escaped, cut
// at `max` bytes.
std::string printable(std::string_view name, std::size_t max) {
  std::string text;
  for (char c : name.substr(0, max + 1)) {  // one byte past: enough for cut() to see it is cut
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      constexpr char kHex[] = "0123456789abcdef";
      text += "\\x";
      text += kHex[(c >> 4) & 0xf];
      text += kHex[c & 0xf];
    } else {
      text += c;
    }
  }
  return cut(std::move(text), max);
}

void filter_in_place(Json& value, const std::vector<std::string>& keys) {
  if (value.is_object()) {
    for (auto& [key, item] : value.items()) {
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
        item = "[FILTERED]";
      } else {
        filter_in_place(item, keys);
      }
    }
  } else if (value.is_array()) {
    for (auto& item : value) filter_in_place(item, keys);
  }
}

}  // namespace

ActionLogSettings::Level ActionLogSettings::level_of(std::string_view name) {
  if (name == "none") return Level::none;
  if (name == "all") return Level::all;
  return Level::errors;
}

Json filter_params(const Json& params, const std::vector<std::string>& keys) {
  Json filtered = params;
  if (!keys.empty()) filter_in_place(filtered, keys);
  return filtered;
}

void log_action(const ActionLogSettings& settings, const ActionLogLine& line) {
  const bool failed = !line.error.empty();
  if (!settings.wants(failed)) return;
  if (failed) {
    std::uint64_t suppressed = 0;
    if (!g_failed_lines.admit(suppressed)) return;
    if (suppressed > 0) {
      spdlog::warn("log.actions: {} failed-action line(s) left out: more than {} a second", suppressed,
                   kFailedLinesPerSecond);
    }
  }
  std::string name = printable(line.action, kMaxLoggedName);
  if (line.version > 0) name += " v" + std::to_string(line.version);
  const double ms = std::chrono::duration<double, std::milli>(line.took).count();
  const std::string params = line.params ? cut(filter_params(*line.params, settings.filter_params)
                                                   .dump(-1, ' ', false, Json::error_handler_t::replace),
                                               kMaxLoggedParams)
                                         : std::string(line.params_absent);
  if (failed) {
    spdlog::warn("action {} failed in {:.3f} ms: {} (connection {}, params {})", name, ms,
                 printable(line.error, kMaxLoggedError), line.connection_id, params);
  } else {
    spdlog::info("action {} answered in {:.3f} ms (connection {}, params {})", name, ms, line.connection_id,
                 params);
  }
}

}  // namespace actionhost
