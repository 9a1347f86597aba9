#pragma once
// One loaded plugin library. Whoever may still run its code holds a shared_ptr to it (each
// of its Actions, each request in flight on it, each timer it started); when the last one
// lets go, its on_unload hook runs and the library is closed.

#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <actionhost/abi.h>

namespace actionhost {

class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
 public:
  PluginLibrary(boost::dll::shared_library library, const ah_plugin_def* def, std::string file);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const ah_plugin_def& def() const { return *def_; }
  const std::string& name() const { return name_; }
  const std::string& version() const { return version_; }
  const std::string& file() const { return file_; }  // the name in plugins.dir

  // The opaque handle the plugin sees, and back.
  ah_plugin* handle() { return reinterpret_cast<ah_plugin*>(this); }
  static PluginLibrary* from_handle(ah_plugin* handle) { return reinterpret_cast<PluginLibrary*>(handle); }

  // Set once on_load succeeded, so that on_unload is called only then.
  void mark_loaded() { loaded_ = true; }

 private:
  boost::dll::shared_library library_;
  const ah_plugin_def* def_;
  std::string name_;
  std::string version_;
  std::string file_;
  bool loaded_ = false;
};

}  // namespace actionhost
