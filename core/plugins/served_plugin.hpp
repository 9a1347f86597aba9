#pragma once
// A plugin version as long as it serves: what the ActionSet, its Actions and every request
// running on them hold (as their PluginOrigin). When the last of them lets go (the version
// was replaced or removed, and its last request has been answered or has timed out), the
// library is retired: its timers are cancelled, and it closes once they have let go too.

#include <memory>
#include <string>

#include "actions/plugin_origin.hpp"
#include "plugins/plugin_library.hpp"

namespace actionhost {

class ServedPlugin final : public PluginOrigin {
 public:
  explicit ServedPlugin(std::shared_ptr<PluginLibrary> library) : library_(std::move(library)) {}
  ~ServedPlugin() { library_->retire(); }
  ServedPlugin(const ServedPlugin&) = delete;
  ServedPlugin& operator=(const ServedPlugin&) = delete;

  const std::string& name() const override { return library_->name(); }
  const std::string& version() const override { return library_->version(); }
  const std::string& file() const override { return library_->file(); }
  const std::shared_ptr<PluginLibrary>& library() const { return library_; }

 private:
  std::shared_ptr<PluginLibrary> library_;
};

}  // namespace actionhost
