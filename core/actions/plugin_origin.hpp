#pragma once
// The plugin an action's code comes from, as the layers below plugins/ see it: its names,
// and, through the shared_ptr that every Action holds to it, its lifetime (the library stays
// loaded while anything from it is in use). Implemented by plugins/'s PluginLibrary.

#include <string>

namespace actionhost {

class PluginOrigin {
 public:
  virtual const std::string& name() const = 0;
  virtual const std::string& version() const = 0;
  virtual const std::string& file() const = 0;  // the name in plugins.dir

 protected:
  ~PluginOrigin() = default;  // owned through the implementation's shared_ptr
};

}  // namespace actionhost
