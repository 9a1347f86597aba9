#pragma once
// Reads config/actionhost.toml (SPEC §3) into a typed Config.
//
// Contract: every problem is reported, not just the first; each message names the
// source (file and line, or the --set override), the dotted key and what was expected.
// Unknown sections and keys are errors. A key absent from the file keeps its default.

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"

namespace actionhost {

struct ConfigResult {
  Config config;
  std::vector<std::string> errors;  // empty → config is usable
  bool ok() const { return errors.empty(); }
};

// `overrides` are the --set arguments, each "section.key=VALUE" where VALUE is TOML
// value syntax or, when it does not parse as one, a bare string.
ConfigResult load_config_file(const std::string& path, const std::vector<std::string>& overrides);

// Same, over TOML text already in memory; `source_name` stands for the file in messages.
ConfigResult load_config_text(std::string_view toml_text, std::string_view source_name,
                              const std::vector<std::string>& overrides);

}  // namespace actionhost
