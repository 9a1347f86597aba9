#include "dispatch/action_log.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace actionhost {
namespace {

constexpr std::size_t kMaxLoggedName = 128;
constexpr std::size_t kMaxLoggedError = 1024;

// Text a client or a plugin chose, safe for one log line: control characters escaped, cut
// at `max` bytes.
std::string printable(std::string_view name, std::size_t max) {
  std::string text;
  for (char c : name.substr(0, max)) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      constexpr char kHex[] = "0123456789abcdef";
      text += "\\x";
      text += kHex[(c >> 4) & 0xf];
      text += kHex[c & 0xf];
    } else {
      text += c;
    }
  }
  if (name.size() > max) text += "…";
  return text;
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
  const std::string name = line.version > 0 ? std::string(line.action) + " v" + std::to_string(line.version)
                                            : printable(line.action, kMaxLoggedName);
  const double ms = std::chrono::duration<double, std::milli>(line.took).count();
  std::string params = line.params ? filter_params(*line.params, settings.filter_params)
                                         .dump(-1, ' ', false, Json::error_handler_t::replace)
                                   : "not yet prepared";
  if (failed) {
    spdlog::warn("action {} failed in {:.3f} ms: {} (connection {}, params {})", name, ms,
                 printable(line.error, kMaxLoggedError), line.connection_id, params);
  } else {
    spdlog::info("action {} answered in {:.3f} ms (connection {}, params {})", name, ms, line.connection_id,
                 params);
  }
}

}  // namespace actionhost
