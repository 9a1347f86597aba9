#pragma once
// Which version of a file is on disk: a plugin rescan reloads a file whose stamp changed, and
// a quarantined plugin file is let back in once its size or modification time changes.

#include <sys/stat.h>

#include <cstdint>
#include <filesystem>

namespace actionhost {

struct FileStamp {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t modified_ns = 0;

  // All zeros when the file cannot be stat'ed.
  static FileStamp of(const std::filesystem::path& file) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) return {};
    return {static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino),
            static_cast<std::uint64_t>(info.st_size),
            static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
  }
  bool exists() const { return inode != 0; }
  bool operator==(const FileStamp&) const = default;
};

}  // namespace actionhost
