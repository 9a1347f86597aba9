#include "plugins/plugin_library.hpp"

#include <spdlog/spdlog.h>

namespace actionhost {

PluginLibrary::PluginLibrary(boost::dll::shared_library library, const ah_plugin_def* def,
                             std::string file, FileStamp stamp)
    : library_(std::move(library)),
      def_(def),
      name_(def->name ? def->name : ""),
      version_(def->version ? def->version : ""),
      file_(std::move(file)),
      stamp_(stamp) {}

PluginLibrary::~PluginLibrary() {
  if (!loaded_) return;  // refused before on_load succeeded: nothing to undo
  if (def_->on_unload) {
    try {
      def_->on_unload();
    } catch (...) {
      spdlog::error("plugin {} ({}) threw from on_unload", name_, file_);
    }
  }
  library_.unload();  // dlclose now, so that the log line below is true when it appears
  spdlog::info("closed plugin {} {} from {}: nothing of it is in use any more", name_, version_, file_);
}

}  // namespace actionhost
