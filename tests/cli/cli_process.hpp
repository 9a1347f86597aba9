#pragma once
// Runs the real actionhost-cli binary for a test: its arguments, what it reads on standard
// input, and its standard output and error kept apart.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace actionhost::test {

struct CliResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out;
  std::string err;
};

struct CliInput {
  std::string text;        // written to its standard input
  bool keep_open = false;  // true: standard input stays open (no end of input) until it exits
};

// Runs ACTIONHOST_CLI with `args`; a run that has not ended within `deadline` is killed and
// fails the test.
CliResult run_cli(const std::vector<std::string>& args, const CliInput& input = {},
                  std::chrono::seconds deadline = std::chrono::seconds(60));

// The lines of `text`, each parsed as JSON (a line that is not JSON fails the test).
std::vector<nlohmann::ordered_json> json_lines(const std::string& text);

// A TCP port on 127.0.0.1 that nothing listens on (bound, then closed again).
std::uint16_t unused_port();

}  // namespace actionhost::test
