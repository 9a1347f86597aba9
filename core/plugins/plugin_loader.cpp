#include "plugins/plugin_loader.hpp"

#include "crashes/running_plugin.hpp"
#include "plugins/abi_v1.hpp"
#include "plugins/elf_check.hpp"
#include "plugins/served_plugin.hpp"
#include "util/string_sink.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
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

// True when a definition of `size` bytes, as its plugin was built, has `field`.
#define AH_HAS_FIELD(def, type, field) ((def).size >= offsetof(type, field) + sizeof((def).field))

Result<> read_output_example(const char* text, const std::string& which, Action& action) {
  if (!text) return {};
  auto example = parse_json(text);
  if (!example || !example->is_object())
    return Problem::invalid(which + ": its output example is not a JSON object");
  action.output_example = std::move(*example);
  return {};
}

// Checks one input's name and default and adds it to the action.
Result<> add_input(ActionInput input, const char* default_json, const std::string& which, Action& action) {
  if (input.name.empty()) {
    return Problem::invalid(which + ": input " + std::to_string(action.inputs.size() + 1) + " has no name");
  }
  for (const auto& other : action.inputs) {
    if (other.name == input.name)
      return Problem::invalid(which + ": input " + input.name + " is declared twice");
  }
  if (default_json) {
    input.default_value = parse_json(default_json);
    if (!input.default_value)
      return Problem::invalid(which + ": the default of input " + input.name + " is not JSON");
  }
  action.inputs.push_back(std::move(input));
  return {};
}

Result<> check_name_and_version(const char* name, std::int32_t version, Action& action) {
  if (!name || !*name) return Problem::invalid("an action has no name");
  action.name = name;
  if (version < 1) {
    return Problem::invalid("action " + action.name + " has version " + std::to_string(version) +
                            "; versions start at 1");
  }
  action.version = version;
  return {};
}

// Validates one ABI version 1 action definition and copies it.
Result<> read_action_v1(const abi_v1::ActionDef& def, Action& action) {
  if (auto named = check_name_and_version(def.name, def.version, action); !named) return named;
  std::string which = "action " + action.name;
  if (!def.run) return Problem::invalid(which + " has no run function");
  action.run_v1 = def.run;
  action.user = def.user;
  action.description = def.description ? def.description : "";
  action.blocking = (def.flags & AH_ACTION_BLOCKING) != 0;
  if (auto example = read_output_example(def.output_example_json, which, action); !example) return example;
  if (def.input_count > 0 && !def.inputs) return Problem::invalid(which + " declares inputs but gives none");
  for (std::size_t i = 0; i < def.input_count; ++i) {
    const abi_v1::InputDef& in = def.inputs[i];
    ActionInput input{in.name ? in.name : "", in.required != 0, AH_TYPE_ANY,     std::nullopt, in.format,
                      in.format_user,         in.validate,      in.validate_user};
    if (auto added = add_input(std::move(input), in.default_json, which, action); !added) return added;
  }
  return {};
}

}  // namespace

Result<> read_action_definition(const ah_action_def& def, Action& action) {
  if (def.size < offsetof(ah_action_def, timeout_ms)) {
    return Problem::invalid(
        "an action definition is smaller than ABI version 2's (set .size = sizeof(ah_action_def))");
  }
  if (auto named = check_name_and_version(def.name, def.version, action); !named) return named;
  std::string which = "action " + action.name;
  if (!def.run) return Problem::invalid(which + " has no run function");
  action.run = def.run;
  action.user = def.user;
  action.description = def.description ? def.description : "";
  action.blocking = (def.flags & AH_ACTION_BLOCKING) != 0;
  if (AH_HAS_FIELD(def, ah_action_def, timeout_ms)) {
    if (def.timeout_ms > static_cast<std::uint64_t>(INT64_MAX / 2))
      return Problem::invalid(which + " has a timeout too large");
    action.timeout_ms = static_cast<std::int64_t>(def.timeout_ms);
  }
  if (auto example = read_output_example(def.output_example_json, which, action); !example) return example;
  if (def.input_count == 0) return {};
  if (!def.inputs) return Problem::invalid(which + " declares inputs but gives none");
  const std::uint32_t stride = def.inputs[0].size;
  if (stride < offsetof(ah_input_def, type)) {
    return Problem::invalid(which + ": its input definitions are smaller than ABI version 2's (set .size)");
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(def.inputs);
  for (std::size_t i = 0; i < def.input_count; ++i) {
    const auto& in = *reinterpret_cast<const ah_input_def*>(bytes + i * stride);
    ActionInput input{in.name ? in.name : "", in.required != 0, AH_TYPE_ANY,     std::nullopt, in.format,
                      in.format_user,         in.validate,      in.validate_user};
    if (AH_HAS_FIELD(in, ah_input_def, type)) {
      if (in.type < AH_TYPE_ANY || in.type > AH_TYPE_ARRAY) {
        return Problem::invalid(which + ": input " + input.name + " has an unknown type " +
                                std::to_string(in.type));
      }
      input.type = static_cast<ah_type>(in.type);
    }
    if (auto added = add_input(std::move(input), in.default_json, which, action); !added) return added;
  }
  return {};
}

PluginLoader::PluginLoader(HostTables host, std::shared_ptr<LibraryCloser> closer)
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
  const void* descriptor = nullptr;
  try {
    descriptor = library.get<const void*()>(ACTIONHOST_ENTRY_SYMBOL)();
  } catch (...) {
    descriptor = nullptr;
  }
  if (!descriptor) {
    return Problem::invalid("its entry function returned no descriptor (did defining the plugin throw?)");
  }
  // Every version's descriptor starts with its ABI version and its size.
  const auto* head = static_cast<const ah_plugin_def*>(descriptor);
  const std::uint32_t abi = head->abi_version;
  if (abi < 1 || abi > AH_ABI_VERSION) {
    return Problem::invalid("was built for plugin ABI version " + std::to_string(abi) +
                            "; this server supports versions 1 to " + std::to_string(AH_ABI_VERSION) +
                            ": rebuild it against this server's sdk");
  }
  PluginLibrary::Identity identity{abi, "", "", nullptr, nullptr};
  if (abi == 1) {
    const auto* v1 = static_cast<const abi_v1::PluginDef*>(descriptor);
    if (v1->size < sizeof(abi_v1::PluginDef)) {
      return Problem::invalid(
          "has a descriptor smaller than ABI version 1's; rebuild it against this server's sdk");
    }
    identity.name = v1->name ? v1->name : "";
    identity.version = v1->version ? v1->version : "";
    identity.unload_v1 = v1->on_unload;
  } else {
    if (head->size < sizeof(ah_plugin_def)) {
      return Problem::invalid(
          "has a descriptor smaller than ABI version 2's; rebuild it against this server's sdk");
    }
    identity.name = head->name ? head->name : "";
    identity.version = head->version ? head->version : "";
    identity.unload_v2 = head->on_unload;
  }
  if (identity.name.empty()) return Problem::invalid("has no plugin name");

  auto* opened = new PluginLibrary(std::move(library), std::move(identity), file.filename().string(), stamp,
                                   *host_.services);
  std::shared_ptr<PluginLibrary> plugin_library;
  if (closer_) {
    plugin_library = std::shared_ptr<PluginLibrary>(opened, closer_->deleter());
  } else {
    plugin_library = std::shared_ptr<PluginLibrary>(opened);
  }
  LoadedPlugin plugin{std::make_shared<const ServedPlugin>(plugin_library), {}, {}};
  auto loaded = abi == 1 ? load_v1(*plugin_library, descriptor, plugin)
                         : load_v2(*plugin_library, *head, plugin);
  if (!loaded) return std::move(loaded).problem();
  plugin_library->mark_loaded();
  return plugin;
}

Result<> PluginLoader::load_v1(PluginLibrary& library, const void* descriptor, LoadedPlugin& plugin) {
  const auto& def = *static_cast<const abi_v1::PluginDef*>(descriptor);
  if (def.action_count > 0 && !def.actions) return Problem::invalid("declares actions but gives none");
  std::set<std::pair<std::string, int>> seen;
  for (std::size_t i = 0; i < def.action_count; ++i) {
    auto action = std::make_shared<Action>();
    if (auto read = read_action_v1(def.actions[i], *action); !read) return std::move(read).problem();
    if (!seen.emplace(action->name, action->version).second) {
      return Problem::invalid("defines action " + action->name + " version " + std::to_string(action->version) +
                              " twice");
    }
    action->library = plugin.library;
    action->crash_site = crash::register_site(library.file(), "action", action->name);
    plugin.actions.push_back(std::move(action));
  }
  if (!def.on_load) return {};
  std::string reason;
  ah_status status = AH_ERR_INTERNAL;
  try {
    crash::RunningPlugin running(crash::register_site(library.file(), "on_load"));
    status = def.on_load(host_.v1, library.handle(), append_to_string, &reason);
  } catch (...) {
    reason = "on_load threw an exception";
  }
  if (status != AH_OK)
    return Problem::invalid("refused to load: " + (reason.empty() ? "its on_load failed" : reason));
  return {};
}

Result<> PluginLoader::load_v2(PluginLibrary& library, const ah_plugin_def& def, LoadedPlugin& plugin) {
  if (!def.on_load)
    return Problem::invalid("has no on_load: an ABI version 2 plugin registers its actions there");
  std::string settings = "{}";
  if (host_.services->plugin_settings) {
    auto it = host_.services->plugin_settings->find(library.name());
    if (it != host_.services->plugin_settings->end()) settings = it->second.dump();
  }
  std::string reason;
  ah_status status = AH_ERR_INTERNAL;
  library.begin_registration();
  try {
    crash::RunningPlugin running(crash::register_site(library.file(), "on_load"));
    status = def.on_load(host_.v2, library.handle(), {settings.data(), settings.size()}, append_to_string,
                         &reason);
  } catch (...) {
    reason = "on_load threw an exception";
  }
  std::unique_ptr<Registration> registered = library.end_registration();
  if (status != AH_OK)
    return Problem::invalid("refused to load: " + (reason.empty() ? "its on_load failed" : reason));
  if (!registered->problem.empty()) return Problem::invalid(registered->problem);
  for (auto& action : registered->actions) {
    action->library = plugin.library;
    action->crash_site = crash::register_site(library.file(), "action", action->name);
    plugin.actions.push_back(std::move(action));
  }
  for (auto& hook : registered->hooks) {
    hook->library = plugin.library;
    hook->crash_site = crash::register_site(library.file(), "hook", hook_kind_name(hook->kind));
    plugin.hooks.push_back(std::move(hook));
  }
  return {};
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
