// actionhost-cli: a client for actionhost (SPEC §10). See args.cpp for the command line and
// the README for the modes and exit codes.

#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "args.hpp"
#include "batch.hpp"
#include "client.hpp"
#include "interactive.hpp"
#include "lines.hpp"

namespace {

using namespace actionhost::cli;

int run(const Options& options) {
  Client client(options);
  if (!options.lines.empty()) {
    ArgumentLines lines(client.io(), options.lines);
    return Batch(client, options, lines).run();
  }
  if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) return Interactive(client, options).run();
  StdinLines lines(client.io());
  return Batch(client, options, lines).run();
}

}  // namespace

int main(int argc, char** argv) {
  ParsedArgs parsed = parse_args(std::vector<std::string>(argv + 1, argv + argc));
  if (std::holds_alternative<ShowHelp>(parsed)) {
    std::fputs(usage_text().c_str(), stdout);
    return kExitOk;
  }
  if (std::holds_alternative<ShowVersion>(parsed)) {
    std::printf("actionhost-cli %s\n", ACTIONHOST_VERSION);
    return kExitOk;
  }
  if (auto* error = std::get_if<UsageError>(&parsed)) {
    std::fprintf(stderr,
                 "actionhost-cli: %s\n"
                 "Usage: actionhost-cli [--host H] [--port P] [--tls [--insecure | --ca FILE]] [--welcome] "
                 "[--no-chat] [LINE...]\n"
                 "(actionhost-cli --help tells more)\n",
                 error->message.c_str());
    return kExitUsage;
  }
  try {
    return run(std::get<Options>(parsed));
  } catch (const std::exception& e) {
    complain(e.what());
    return kExitFailed;
  }
}
