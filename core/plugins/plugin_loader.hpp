#pragma once
// Loads one plugin file (SPEC §5): copies it to a private shadow path (so a replaced file is
// a new library to the dynamic loader), opens the copy with RTLD_NOW | RTLD_LOCAL, checks the
// ABI version (1 to AH_ABI_VERSION), then
//   - version 1: checks every action of its descriptor, then calls its on_load;
//   - version 2: calls its on_load with its settings, during which it registers its actions
//     and hooks (each definition checked as it comes).
//
// Contract: on failure nothing of the plugin stays loaded and the Problem says why, in words
// a plugin author can act on; the caller names the file.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <actionhost/abi.h>

#include "actions/action.hpp"
#include "plugins/host_api.hpp"
#include "plugins/library_closer.hpp"
#include "plugins/plugin_library.hpp"
#include "util/result.hpp"

namespace actionhost {

class PluginLoader {
 public:
  // `host` is passed to every plugin's on_load and must outlive every plugin; `closer`
  // closes the libraries (null: on the thread that drops the last reference, for tools).
  explicit PluginLoader(HostTables host, std::shared_ptr<LibraryCloser> closer = nullptr);
  ~PluginLoader();

  Result<LoadedPlugin> load(const std::filesystem::path& file);

 private:
  // The private folder of the shadow copies, made at the first load.
  Result<std::filesystem::path> shadow_dir();

  Result<> load_v1(PluginLibrary& library, const void* descriptor, LoadedPlugin& plugin);
  Result<> load_v2(PluginLibrary& library, const ah_plugin_def& def, LoadedPlugin& plugin);

  HostTables host_;
  std::shared_ptr<LibraryCloser> closer_;
  std::filesystem::path shadow_dir_;
  unsigned long shadow_count_ = 0;
};

// Validates an ABI version 2 action definition (of the size it was built with) and copies
// it into `action`; the Problem names what is wrong.
Result<> read_action_definition(const ah_action_def& def, Action& action);

// The *.so files of `dir`, sorted by name; empty when it does not exist.
std::vector<std::filesystem::path> plugin_files(const std::filesystem::path& dir);

}  // namespace actionhost
