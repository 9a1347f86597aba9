#pragma once
// Reads config/actionhost.toml (SPEC §3) into a typed Config.
//
// Contract: every problem is reported, not just the first, one per line of the Problem's
// message; each names the source (file and line, or the --set override), the dotted key and
// what was expected. Unknown sections and keys are errors. A key absent from the file keeps
// its default.

#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "util/result.hpp"

namespace actionhost {

// `overrides` are the --set arguments, each "section.key=VALUE" where VALUE is TOML
// value syntax or, when it does not parse as one, a bare string.
Result<Config> load_config_file(const std::string& path, const std::vector<std::string>& overrides);

// Same, over TOML text already in memory; `source_name` stands for the file in messages.
Result<Config> load_config_text(std::string_view toml_text, std::string_view source_name,
                                const std::vector<std::string>& overrides);

}  // namespace actionhost
