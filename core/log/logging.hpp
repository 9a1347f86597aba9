#pragma once
// Process-wide logging on spdlog's default logger, written to stdout.
// `text`: "[2026-11-27 15:31:34.123] [info] message"; `json`: one object per line with
// "time", "level" and "message" keys, the message JSON-escaped.

#include "config/config.hpp"

namespace actionhost {

// Safe to call again (e.g. after the config is loaded); replaces the default logger.
void configure_logging(const LogConfig& config);

}  // namespace actionhost
