#pragma once
// One loaded plugin library. Whoever may still run its code holds a shared_ptr to it (each
// of its Actions, each request in flight on it, each timer it started); when the last one
// lets go, its on_unload hook runs and the library is closed.

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include <actionhost/abi.h>

#include "actions/plugin_origin.hpp"

namespace actionhost {

// Which version of a file was loaded: a rescan reloads a file whose stamp changed.
struct FileStamp {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t modified_ns = 0;

  static FileStamp of(const std::filesystem::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) return {};
    return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
            static_cast<std::uint64_t>(info.st_size),
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
  }
  bool operator==(const FileStamp&) const = default;
};

class PluginLibrary final : public PluginOrigin, public std::enable_shared_from_this<PluginLibrary> {
 public:
  PluginLibrary(boost::dll::shared_library library, const ah_plugin_def* def, std::string file,
                FileStamp stamp);
  ~PluginLibrary();
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

  const ah_plugin_def& def() const { return *def_; }
  const std::string& name() const override { return name_; }
  const std::string& version() const override { return version_; }
  const std::string& file() const override { return file_; }  // the name in plugins.dir
  const FileStamp& stamp() const { return stamp_; }

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
  FileStamp stamp_;
  bool loaded_ = false;
};

}  // namespace actionhost
