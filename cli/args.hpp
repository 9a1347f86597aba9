#pragma once
// The command line of actionhost-cli (SPEC §10):
//   actionhost-cli [--host H] [--port P] [--tls [--insecure | --ca FILE]] [--welcome] [--no-chat] [LINE…]

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace actionhost::cli {

// Exit codes, as the README documents them.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;         // an answer had an `error`, or a line went unanswered
inline constexpr int kExitCannotConnect = 2;  // nothing listening, TLS refused, server full, …
inline constexpr int kExitUsage = 64;         // bad command line (EX_USAGE)

struct Options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5000;
  bool tls = false;
  bool insecure = false;  // --insecure: no certificate check
  std::string ca_file;    // --ca: trust these certificates instead of the system's
  bool show_welcome = false;
  bool show_chat = true;
  std::vector<std::string> lines;  // the LINE arguments; empty: stdin or the prompt
};

struct ShowHelp {};
struct ShowVersion {};
struct UsageError {
  std::string message;
};

using ParsedArgs = std::variant<Options, ShowHelp, ShowVersion, UsageError>;

ParsedArgs parse_args(const std::vector<std::string>& args);

// The text of --help.
std::string usage_text();

}  // namespace actionhost::cli
