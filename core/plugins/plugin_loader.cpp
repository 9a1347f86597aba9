#include "plugins/plugin_loader.hpp"

#include "crashes/running_plugin.hpp"
#include "plugins/elf_check.hpp"
#include "plugins/served_plugin.hpp"
#include "util/string_sink.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

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

// Validates one action definition and copies it.
Result<> read_action(const ah_action_def& def, Action& action) {
  if (!def.name || !*def.name) return Problem::invalid("an action has no name");
  action.name = def.name;
  std::string which = "action " + action.name;
  if (def.version < 1) {
    return Problem::invalid(which + " has version " + std::to_string(def.version) + "; versions start at 1");
  }
  action.version = def.version;
  if (!def.run) return Problem::invalid(which + " has no run function");
  action.run = def.run;
  action.user = def.user;
  action.description = def.description ? def.description : "";
  action.blocking = (def.flags & AH_ACTION_BLOCKING) != 0;
  if (def.output_example_json) {
    auto example = parse_json(def.output_example_json);
    if (!example || !example->is_object())
      return Problem::invalid(which + ": its output example is not a JSON object");
    action.output_example = std::move(*example);
  }
  if (def.input_count > 0 && !def.inputs) return Problem::invalid(which + " declares inputs but gives none");
  std::set<std::string> names;
  for (std::size_t i = 0; i < def.input_count; ++i) {
    const ah_input_def& in = def.inputs[i];
    if (!in.name || !*in.name)
      return Problem::invalid(which + ": input " + std::to_string(i + 1) + " has no name");
    if (!names.insert(in.name).second)
      return Problem::invalid(which + ": input " + in.name + " is declared twice");
    ActionInput input{in.name,        in.required != 0, std::nullopt,    in.format,
                      in.format_user, in.validate,      in.validate_user};
    if (in.default_json) {
      input.default_value = parse_json(in.default_json);
      if (!input.default_value)
        return Problem::invalid(which + ": the default of input " + in.name + " is not JSON");
    }
    action.inputs.push_back(std::move(input));
  }
  return {};
}

}  // namespace

PluginLoader::PluginLoader(const ah_host_api* host, std::shared_ptr<LibraryCloser> closer)
    : host_(host), closer_(std::move(closer)) {}

PluginLoader::~PluginLoader() {
  std::error_code ec;
  if (!shadow_dir_.empty()) fs::remove_all(shadow_dir_, ec);
}

Result<fs::path> PluginLoader::shadow_dir() {
  if (shadow_dir_.empty()) {
    std::error_code ec;
    std::string pattern = (fs::temp_directory_path(ec) / "actionhost-plugins-XXXXXX").string();
    if (ec || !mkdtemp(pattern.data())) {
      return Problem::internal(std::string("cannot be copied for loading: no private folder for the copy (") +
                               std::strerror(errno) + "); check that TMPDIR is writable");
    }
    shadow_dir_ = pattern;
  }
  return shadow_dir_;
}

Result<LoadedPlugin> PluginLoader::load(const fs::path& file) {
  auto dir = shadow_dir();
  if (!dir) return std::move(dir).problem();
  fs::path shadow = *dir / (file.stem().string() + "." + std::to_string(++shadow_count_) + ".so");
  const FileStamp stamp = FileStamp::of(file);
  // Read once, checked, and written as the shadow copy: what is checked is what is loaded,
  // whatever happens to the original meanwhile.
  std::string image;
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      return Problem::invalid(std::string("cannot be read (") + std::strerror(errno) + ")");
    }
    image.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (auto checked = check_elf_image(image); !checked) {
    return Problem::invalid("is not a loadable shared library: " + checked.problem().message);
  }
  std::error_code ec;
  {
    std::ofstream out(shadow, std::ios::binary | std::ios::trunc);
    out.write(image.data(), static_cast<std::streamsize>(image.size()));
    if (!out.flush()) {
      return Problem::invalid("cannot be copied for loading (writing " + shadow.string() + " failed)");
    }
  }

  boost::dll::shared_library library;
  try {
    library.load(shadow, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    fs::remove(shadow, ec);
    return Problem::invalid(std::string("is not a loadable shared library: ") + e.what());
  }
  fs::remove(shadow, ec);  // the mapping stays; nothing is left behind if we crash

  if (!library.has(ACTIONHOST_ENTRY_SYMBOL)) {
    return Problem::invalid("is not an actionhost plugin: it does not export " ACTIONHOST_ENTRY_SYMBOL
                            " (build it with actionhost_add_plugin and ACTIONHOST_PLUGIN)");
  }
  const ah_plugin_def* def = nullptr;
  try {
    def = library.get<const ah_plugin_def*()>(ACTIONHOST_ENTRY_SYMBOL)();
  } catch (...) {
    def = nullptr;
  }
  if (!def) {
    return Problem::invalid("its entry function returned no descriptor (did defining the plugin throw?)");
  }
  if (def->abi_version != AH_ABI_VERSION) {
    return Problem::invalid("was built for plugin ABI version " + std::to_string(def->abi_version) +
                            "; this server supports version " + std::to_string(AH_ABI_VERSION) +
                            ": rebuild it against this server's sdk");
  }
  if (def->size < sizeof(ah_plugin_def)) {
    return Problem::invalid(
        "has a descriptor smaller than ABI version 1's; rebuild it against this server's sdk");
  }
  if (!def->name || !*def->name) {
    return Problem::invalid("has no plugin name");
  }
  if (def->action_count > 0 && !def->actions) {
    return Problem::invalid("declares actions but gives none");
  }

  auto* opened = new PluginLibrary(std::move(library), def, file.filename().string(), stamp);
  std::shared_ptr<PluginLibrary> plugin_library;
  if (closer_) {
    plugin_library = std::shared_ptr<PluginLibrary>(opened, closer_->deleter());
  } else {
    plugin_library = std::shared_ptr<PluginLibrary>(opened);
  }
  auto served = std::make_shared<const ServedPlugin>(plugin_library);
  LoadedPlugin plugin{served, {}};
  std::set<std::pair<std::string, int>> seen;
  for (std::size_t i = 0; i < def->action_count; ++i) {
    auto action = std::make_shared<Action>();
    if (auto read = read_action(def->actions[i], *action); !read) return std::move(read).problem();
    if (!seen.emplace(action->name, action->version).second) {
      return Problem::invalid("defines action " + action->name + " version " + std::to_string(action->version) +
                              " twice");
    }
    action->library = served;
    action->crash_site = crash::register_site(file.filename().string(), "action", action->name);
    plugin.actions.push_back(std::move(action));
  }

  if (def->on_load) {
    std::string reason;
    ah_status status = AH_ERR_INTERNAL;
    try {
      crash::RunningPlugin running(crash::register_site(file.filename().string(), "on_load"));
      status = def->on_load(host_, plugin_library->handle(), append_to_string, &reason);
    } catch (...) {
      reason = "on_load threw an exception";
    }
    if (status != AH_OK) {
      return Problem::invalid("refused to load: " + (reason.empty() ? "its on_load failed" : reason));
    }
  }
  plugin_library->mark_loaded();
  return plugin;
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
