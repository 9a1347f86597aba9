#include "cluster/redis_url.hpp"

#include <charconv>

namespace actionhost {
namespace {

Problem bad(std::string_view url, std::string_view why) {
  return Problem::invalid("cluster.redis \"" + std::string(url) + "\": " + std::string(why) +
                          "; expected redis://[:PASSWORD@]HOST:PORT[/DB]");
}

template <class Int>
bool parse_int(std::string_view text, Int& out) {
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string RedisAddress::text() const {
  std::string text = host;
  text += ':';
  text += std::to_string(port);
  if (db != 0) {
    text += '/';
    text += std::to_string(db);
  }
  return text;
}

Result<RedisAddress> parse_redis_url(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return bad(url, "it must start with redis://");
  std::string_view rest = url.substr(kScheme.size());
  RedisAddress address;
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view credentials = rest.substr(0, at);
    if (credentials.empty() || credentials.front() != ':') return bad(url, "the password must follow a colon");
    address.password = std::string(credentials.substr(1));
    rest = rest.substr(at + 1);
  }
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (!parse_int(rest.substr(slash + 1), address.db) || address.db < 0)
      return bad(url, "bad database number");
    rest = rest.substr(0, slash);
  }
  auto colon = rest.rfind(':');
  if (colon == std::string_view::npos) return bad(url, "the port is missing");
  address.host = std::string(rest.substr(0, colon));
  if (address.host.empty()) return bad(url, "the host is missing");
  if (!parse_int(rest.substr(colon + 1), address.port) || address.port == 0) return bad(url, "bad port");
  return address;
}

}  // namespace actionhost
