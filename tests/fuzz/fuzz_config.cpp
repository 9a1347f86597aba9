// The config loader on TOML text plus --set arguments: the input is the TOML, then, after a
// NUL byte, one --set argument per line. It gives a config or problems, never a crash.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view toml = input.substr(0, input.find('\0'));
  std::vector<std::string> overrides;
  if (toml.size() < input.size()) {
    std::string_view rest = input.substr(toml.size() + 1);
    while (!rest.empty()) {
      auto end = rest.find('\n');
      overrides.emplace_back(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }
  auto loaded = actionhost::load_config_text(toml, "fuzz.toml", overrides);
  static_cast<void>(loaded);
  return 0;
}
