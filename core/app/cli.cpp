#include "app/cli.hpp"

#include <sstream>

#include <boost/program_options.hpp>

namespace actionhost {

Result<CommandLine> parse_command_line(int argc, const char* const argv[]) {
  namespace po = boost::program_options;
  CommandLine line;
  po::options_description options("Options");
  options.add_options()("config", po::value(&line.config_file)->value_name("FILE"),
                        "the TOML config file (default: config/actionhost.toml)")(
      "set", po::value(&line.overrides)->value_name("KEY=VALUE")->composing(),
      "override one config key, e.g. --set socket.port=5001 (repeatable; the value is TOML, "
      "a bare word is a string)")(
      "check", po::bool_switch(&line.check),
      "load the config and the plugins, print what was found or every problem, and exit "
      "0 or 1 without listening")("version", po::bool_switch(&line.version), "print the version and exit")(
      "help", po::bool_switch(&line.help), "print this help and exit");

  std::ostringstream usage;
  usage << "Usage: actionhost [--config FILE] [--set KEY=VALUE]... [--check] [--version] "
           "[--help]\n\n"
        << "Serves the actionhero socket protocol, with actions loaded from plugins.\n\n"
        << options;
  line.usage = usage.str();

  try {
    po::variables_map values;
    auto style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(argc, argv).options(options).style(style).run(), values);
    po::notify(values);
  } catch (const po::error& e) {
    return Problem::invalid(std::string(e.what()) + "; run actionhost --help for the options");
  }
  return line;
}

}  // namespace actionhost
