// actionhost: wires the command line, the config, logging and the server together.

#include <cstdio>
#include <iostream>

#include <spdlog/spdlog.h>

#include "app/cli.hpp"
#include "app/server.hpp"
#include "config/config_loader.hpp"
#include "log/logging.hpp"
#include "net/tls_context.hpp"

#ifndef ACTIONHOST_VERSION
#define ACTIONHOST_VERSION "0.0.0"
#endif

using namespace actionhost;

namespace {

int check(const std::string& config_file, const Config& config) {
  std::cout << "config " << config_file << ": OK\n"
            << "socket: " << (config.socket.enabled ? "enabled" : "disabled") << " on "
            << config.socket.bind << ":" << config.socket.port
            << (config.socket.secure ? " (TLS)" : "") << "\n"
            << "rooms:";
  for (const auto& room : config.chat.starting_rooms) std::cout << " " << room;
  std::cout << "\nplugins: none loaded (plugin loading is not built yet)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine line = parse_command_line(argc, argv);
  if (!line.error.empty()) {
    std::cerr << "actionhost: " << line.error << "\n";
    return 1;
  }
  if (line.help) {
    std::cout << line.usage;
    return 0;
  }
  if (line.version) {
    std::cout << "actionhost " << ACTIONHOST_VERSION << "\n";
    return 0;
  }

  ConfigResult loaded = load_config_file(line.config_file, line.overrides);
  if (!loaded.ok()) {
    for (const auto& error : loaded.errors) std::cerr << "config error: " << error << "\n";
    return 1;
  }
  if (line.check) return check(line.config_file, loaded.config);

  configure_logging(loaded.config.log);
  try {
    Server server(std::move(loaded.config));
    server.run();
  } catch (const StartupError& e) {
    spdlog::error("cannot start: {}", e.what());
    return 1;
  }
  return 0;
}
