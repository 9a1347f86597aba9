#pragma once
// Keeps the action registry in step with plugins.dir: loads every plugin at start, logging
// one line per plugin loaded or refused. (Hot reload adds the watcher here.)

#include <memory>
#include <string>
#include <vector>

#include "app/services.hpp"
#include "plugins/plugin_loader.hpp"

namespace actionhost {

class PluginManager {
 public:
  explicit PluginManager(Services& services);

  // Loads every *.so of plugins.dir; returns one message per file refused.
  std::vector<std::string> load_all();

 private:
  // Loads and publishes one file; returns why it was refused, or "".
  std::string load(const std::filesystem::path& file);

  Services& services_;
  PluginLoader loader_;
};

}  // namespace actionhost
