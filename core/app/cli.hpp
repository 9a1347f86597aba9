#pragma once
// The command line of SPEC §2:
//   actionhost [--config FILE] [--set KEY=VALUE]... [--check] [--version] [--help]

#include <string>
#include <vector>

#include "util/result.hpp"

namespace actionhost {

struct CommandLine {
  std::string config_file = "config/actionhost.toml";
  std::vector<std::string> overrides;  // --set, in order
  bool check = false;
  bool version = false;
  bool help = false;
  std::string usage;  // the --help text
};

// The parsed command line, or a Problem when the arguments are not understood.
Result<CommandLine> parse_command_line(int argc, const char* const argv[]);

}  // namespace actionhost
