#include "plugins/plugin_loader.hpp"

#include "plugins/elf_check.hpp"
#include "util/string_sink.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <stdexcept>

namespace actionhost {
namespace fs = std::filesystem;

namespace {

std::optional<Json> parse_json(const char* text) {
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
    return std::nullopt;
  }
}

// Validates one action definition and copies it; returns an error or "".
std::string read_action(const ah_action_def& def, Action& action) {
  if (!def.name || !*def.name) return "an action has no name";
  action.name = def.name;
  std::string which = "action " + action.name;
  if (def.version < 1) return which + " has version " + std::to_string(def.version) + "; versions start at 1";
  action.version = def.version;
  if (!def.run) return which + " has no run function";
  action.run = def.run;
  action.user = def.user;
  action.description = def.description ? def.description : "";
  action.blocking = (def.flags & AH_ACTION_BLOCKING) != 0;
  if (def.output_example_json) {
    auto example = parse_json(def.output_example_json);
    if (!example || !example->is_object()) return which + ": its output example is not a JSON object";
    action.output_example = std::move(*example);
  }
  if (def.input_count > 0 && !def.inputs) return which + " declares inputs but gives none";
  std::set<std::string> names;
  for (std::size_t i = 0; i < def.input_count; ++i) {
    const ah_input_def& in = def.inputs[i];
    if (!in.name || !*in.name) return which + ": input " + std::to_string(i + 1) + " has no name";
    if (!names.insert(in.name).second) return which + ": input " + in.name + " is declared twice";
    ActionInput input{in.name, in.required != 0, std::nullopt, in.format, in.format_user,
                      in.validate, in.validate_user};
    if (in.default_json) {
      input.default_value = parse_json(in.default_json);
      if (!input.default_value) return which + ": the default of input " + in.name + " is not JSON";
    }
    action.inputs.push_back(std::move(input));
  }
  return {};
}

}  // namespace

PluginLoader::PluginLoader(const ah_host_api* host) : host_(host) {
  std::string pattern = (fs::temp_directory_path() / "actionhost-plugins-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot create a folder for plugin shadow copies");
  shadow_dir_ = pattern;
}

PluginLoader::~PluginLoader() {
  std::error_code ec;
  fs::remove_all(shadow_dir_, ec);
}

LoadOutcome PluginLoader::load(const fs::path& file) {
  LoadOutcome outcome;
  fs::path shadow = shadow_dir_ / (file.stem().string() + "." + std::to_string(++shadow_count_) + ".so");
  const FileStamp stamp = FileStamp::of(file);
  // Read once, checked, and written as the shadow copy: what is checked is what is loaded,
  // whatever happens to the original meanwhile.
  std::string image;
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      outcome.error = std::string("cannot be read (") + std::strerror(errno) + ")";
      return outcome;
    }
    image.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (std::string problem = check_elf_image(image); !problem.empty()) {
    outcome.error = "is not a loadable shared library: " + problem;
    return outcome;
  }
  std::error_code ec;
  {
    std::ofstream out(shadow, std::ios::binary | std::ios::trunc);
    out.write(image.data(), static_cast<std::streamsize>(image.size()));
    if (!out.flush()) {
      outcome.error = "cannot be copied for loading (writing " + shadow.string() + " failed)";
      return outcome;
    }
  }

  boost::dll::shared_library library;
  try {
    library.load(shadow, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    fs::remove(shadow, ec);
    outcome.error = std::string("is not a loadable shared library: ") + e.what();
    return outcome;
  }
  fs::remove(shadow, ec);  // the mapping stays; nothing is left behind if we crash

  if (!library.has(ACTIONHOST_ENTRY_SYMBOL)) {
    outcome.error = "is not an actionhost plugin: it does not export " ACTIONHOST_ENTRY_SYMBOL
                    " (build it with actionhost_add_plugin and ACTIONHOST_PLUGIN)";
    return outcome;
  }
  const ah_plugin_def* def = nullptr;
  try {
    def = library.get<const ah_plugin_def*()>(ACTIONHOST_ENTRY_SYMBOL)();
  } catch (...) {
    def = nullptr;
  }
  if (!def) {
    outcome.error = "its entry function returned no descriptor (did defining the plugin throw?)";
    return outcome;
  }
  if (def->abi_version != AH_ABI_VERSION) {
    outcome.error = "was built for plugin ABI version " + std::to_string(def->abi_version) +
                    "; this server supports version " + std::to_string(AH_ABI_VERSION) +
                    ": rebuild it against this server's sdk";
    return outcome;
  }
  if (def->size < sizeof(ah_plugin_def)) {
    outcome.error = "has a descriptor smaller than ABI version 1's; rebuild it against this server's sdk";
    return outcome;
  }
  if (!def->name || !*def->name) {
    outcome.error = "has no plugin name";
    return outcome;
  }
  if (def->action_count > 0 && !def->actions) {
    outcome.error = "declares actions but gives none";
    return outcome;
  }

  auto plugin_library = std::make_shared<PluginLibrary>(std::move(library), def, file.filename().string(), stamp);
  LoadedPlugin plugin{plugin_library, {}};
  std::set<std::pair<std::string, int>> seen;
  for (std::size_t i = 0; i < def->action_count; ++i) {
    auto action = std::make_shared<Action>();
    if (std::string error = read_action(def->actions[i], *action); !error.empty()) {
      outcome.error = error;
      return outcome;
    }
    if (!seen.emplace(action->name, action->version).second) {
      outcome.error = "defines action " + action->name + " version " + std::to_string(action->version) + " twice";
      return outcome;
    }
    action->library = plugin_library;
    plugin.actions.push_back(std::move(action));
  }

  if (def->on_load) {
    std::string reason;
    ah_status status = AH_ERR_INTERNAL;
    try {
      status = def->on_load(host_, plugin_library->handle(), append_to_string, &reason);
    } catch (...) {
      reason = "on_load threw an exception";
    }
    if (status != AH_OK) {
      outcome.error = "refused to load: " + (reason.empty() ? "its on_load failed" : reason);
      return outcome;
    }
  }
  plugin_library->mark_loaded();
  outcome.plugin = std::move(plugin);
  return outcome;
}

std::vector<fs::path> plugin_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".so" && entry.is_regular_file(ec)) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace actionhost
