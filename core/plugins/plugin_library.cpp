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
  if (loaded_ && def_->on_unload) {
    try {
      def_->on_unload();
    } catch (...) {
      spdlog::error("plugin {} ({}) threw from on_unload", name_, file_);
    }
  }
  spdlog::debug("plugin {} {} ({}) closed", name_, version_, file_);
  // library_ is closed by its destructor, after the hook.
}

}  // namespace actionhost
