#include "args.hpp"

#include <charconv>
#include <optional>
#include <string_view>

namespace actionhost::cli {
namespace {

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::string usage_text() {
  return R"(Usage: actionhost-cli [OPTIONS] [LINE...]

Sends each LINE to an actionhost server (the actionhero socket protocol) and prints
each answer: indented JSON on a terminal, one JSON line per answer otherwise. With no
LINE, an interactive prompt (with history) when standard input and output are a
terminal; otherwise one request per line of standard input.

Options:
  --host HOST     the server's address or name (default 127.0.0.1)
  --port PORT     the server's port (default 5000)
  --tls           connect with TLS, checking the server's certificate against the
                  system's certificate authorities
  --ca FILE       with --tls: trust the certificates in FILE (PEM) instead
  --insecure      with --tls: do not check the certificate (for the self-signed one
                  certs/make-dev-cert.sh makes)
  --welcome       also print the welcome line the server sends on connect
  --no-chat       do not print chat messages (context "user")
  --help          print this help and exit
  --version       print the version and exit
  --              what follows is LINEs, even if it starts with "-"

Exit status: 0 every line answered without an error; 1 an answer had an "error" key,
or the server closed the connection before answering every line; 2 cannot connect
(nothing listening, name not found, TLS or certificate failure, server full, time-out);
64 bad usage.
)";
}

ParsedArgs parse_args(const std::vector<std::string>& args) {
  Options options;
  bool only_lines = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_lines || arg.empty() || arg[0] != '-' || arg == "-") {
      options.lines.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_lines = true;
      continue;
    }
    // --name=value or --name value for the options that take a value.
    std::string name = arg;
    std::optional<std::string> value;
    if (auto equals = arg.find('='); arg.starts_with("--") && equals != std::string::npos) {
      name = arg.substr(0, equals);
      value = arg.substr(equals + 1);
    }
    auto take_value = [&]() -> std::optional<std::string> {
      if (value) return value;
      if (i + 1 < args.size()) return args[++i];
      return std::nullopt;
    };
    if (name == "--host" || name == "--port" || name == "--ca") {
      auto given = take_value();
      if (!given) return UsageError{name + " needs a value"};
      if (name == "--host") {
        if (given->empty()) return UsageError{"--host needs a value"};
        options.host = *given;
      } else if (name == "--port") {
        auto port = parse_port(*given);
        if (!port) return UsageError{"--port: expected a port number from 1 to 65535, got \"" + *given + "\""};
        options.port = *port;
      } else {
        if (given->empty()) return UsageError{"--ca needs a file"};
        options.ca_file = *given;
      }
      continue;
    }
    if (value) return UsageError{name + " takes no value"};
    if (name == "--help" || name == "-h") return ShowHelp{};
    if (name == "--version") return ShowVersion{};
    if (name == "--tls") {
      options.tls = true;
    } else if (name == "--insecure") {
      options.insecure = true;
    } else if (name == "--welcome") {
      options.show_welcome = true;
    } else if (name == "--no-chat") {
      options.show_chat = false;
    } else {
      return UsageError{"unknown option " + arg};
    }
  }
  if (options.insecure && !options.tls) return UsageError{"--insecure goes with --tls"};
  if (!options.ca_file.empty() && !options.tls) return UsageError{"--ca goes with --tls"};
  if (options.insecure && !options.ca_file.empty()) return UsageError{"--insecure and --ca exclude each other"};
  return options;
}

}  // namespace actionhost::cli
