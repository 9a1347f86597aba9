// actionhost: wires the command line, the config, logging and the server together.

#include <csignal>
#include <cstdio>
#include <iostream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "actions/action_set.hpp"
#include "actions/hook.hpp"
#include "app/cli.hpp"
#include "app/server.hpp"
#include "app/supervisor.hpp"
#include "config/config_loader.hpp"
#include "log/logging.hpp"

#ifndef ACTIONHOST_VERSION
#define ACTIONHOST_VERSION "0.0.0"
#endif

using namespace actionhost;

namespace {

// --check: what the config and the plugins folder hold, or every problem; 0 or 1.
int check(const std::string& config_file, Config config) {
  std::cout << "config " << config_file << ": OK\n"
            << "socket: " << (config.socket.enabled ? "enabled" : "disabled") << " on " << config.socket.bind
            << ":" << config.socket.port << (config.socket.secure ? " (TLS)" : "") << "\n"
            << "plugin ABI versions: 1 to " << AH_ABI_VERSION << "\n"
            << "plugins in " << config.plugins.dir << ":\n";
  spdlog::set_level(spdlog::level::off);  // problems are printed below, once
  const auto settings_by_plugin = config.plugins.settings;
  auto created = Server::create(std::move(config));
  if (!created) {
    std::cout << "problem: " << created.problem().message << "\n";
    return 1;
  }
  const Server& server = **created;
  const ActionSet& actions = server.actions();
  for (const auto& plugin : actions.plugins()) {
    std::cout << "  " << plugin.library->file() << ": " << plugin.library->name() << " "
              << plugin.library->version() << "\n";
    for (const auto& action : plugin.actions) {
      std::cout << "    " << action->name << " v" << action->version << (action->blocking ? " (blocking)" : "")
                << "\n";
    }
    for (const auto& hook : plugin.hooks) {
      std::cout << "    hook " << hook_kind_name(hook->kind) << " (priority " << hook->priority << ")\n";
    }
    auto settings = settings_by_plugin.find(plugin.library->name());
    if (settings != settings_by_plugin.end()) {
      std::cout << "    settings [plugins.config." << settings->first << "]: " << settings->second.dump()
                << "\n";
    }
  }
  if (actions.plugins().empty()) std::cout << "  (none)\n";
  for (const auto& problem : server.problems()) std::cout << "problem: " << problem << "\n";
  return server.problems().empty() ? 0 : 1;
}

// Runs the server until it stops; its exit status. SIGHUP re-reads the plugins' settings
// from `line`'s config file and overrides.
int serve(const Config& config, const CommandLine& line, int listening_fd) {
  // A write to a socket whose peer has gone (or whose sending side the server shut) must
  // fail with EPIPE for that connection, not end the process: Asio sends with MSG_NOSIGNAL,
  // but OpenSSL's socket BIO (TLS sessions write through it), hiredis and plugins need not.
  ::signal(SIGPIPE, SIG_IGN);
  auto server = Server::create(config, listening_fd);
  if (server) (*server)->reread_plugin_settings_from(line.config_file, line.overrides);
  auto ran = server ? (*server)->run() : Result<>(server.problem());
  if (!ran) {
    spdlog::error("cannot start: {}", ran.problem().message);
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto parsed = parse_command_line(argc, argv);
  if (!parsed) {
    std::cerr << "actionhost: " << parsed.problem().message << "\n";
    return 1;
  }
  const CommandLine& line = *parsed;
  if (line.help) {
    std::cout << line.usage;
    return 0;
  }
  if (line.version) {
    std::cout << "actionhost " << ACTIONHOST_VERSION << "\n";
    return 0;
  }

  auto loaded = load_config_file(line.config_file, line.overrides);
  if (!loaded) {
    std::istringstream errors(loaded.problem().message);
    for (std::string error; std::getline(errors, error);) std::cerr << "config error: " << error << "\n";
    return 1;
  }
  configure_logging(loaded->log);
  if (line.check) return check(line.config_file, std::move(*loaded));

  const Config& config = *loaded;
  if (!config.server.supervise) return serve(config, line, -1);
  return supervise(config, [&config, &line](int listening_fd) { return serve(config, line, listening_fd); });
}
