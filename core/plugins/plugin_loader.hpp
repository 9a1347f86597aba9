#pragma once
// Loads one plugin file (SPEC §5): copies it to a private shadow path (so a replaced file is
// a new library to the dynamic loader), opens the copy with RTLD_NOW | RTLD_LOCAL, checks the
// ABI version and every action definition, and only then calls the plugin's on_load.
//
// Contract: on failure nothing of the plugin stays loaded and the Problem says why, in words
// a plugin author can act on; the caller names the file.

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <actionhost/abi.h>

#include "actions/action.hpp"
#include "plugins/library_closer.hpp"
#include "plugins/plugin_library.hpp"
#include "util/result.hpp"

namespace actionhost {

class PluginLoader {
 public:
  // `host` is passed to every plugin's on_load and must outlive every plugin; `closer`
  // closes the libraries (null: on the thread that drops the last reference, for tools).
  explicit PluginLoader(const ah_host_api* host, std::shared_ptr<LibraryCloser> closer = nullptr);
  ~PluginLoader();

  Result<LoadedPlugin> load(const std::filesystem::path& file);

 private:
  // The private folder of the shadow copies, made at the first load.
  Result<std::filesystem::path> shadow_dir();

  const ah_host_api* host_;
  std::shared_ptr<LibraryCloser> closer_;
  std::filesystem::path shadow_dir_;
  unsigned long shadow_count_ = 0;
};

// The *.so files of `dir`, sorted by name; empty when it does not exist.
std::vector<std::filesystem::path> plugin_files(const std::filesystem::path& dir);

}  // namespace actionhost
