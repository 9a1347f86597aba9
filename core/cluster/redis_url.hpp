#pragma once
// cluster.redis: redis://[:PASSWORD@]HOST:PORT[/DB] (SPEC §9).

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace actionhost {

struct RedisAddress {
  std::string host;
  std::uint16_t port = 6379;
  std::string password;  // "" = no AUTH
  int db = 0;

  // HOST:PORT[/DB], for log lines (never the password).
  std::string text() const;
};

// An invalid Problem that quotes the expected form when `url` does not follow it.
Result<RedisAddress> parse_redis_url(std::string_view url);

}  // namespace actionhost
