#pragma once
// Reads the files the `file` verb serves (SPEC §4.5), never anything outside
// files.public_dir: no "..", no absolute path, no symlink leading out.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace actionhost {

struct PublicFile {
  enum class Status { ok, not_found, too_large } status = Status::not_found;
  std::string bytes;
};

// Reads `path` below `public_dir` when it is a regular file of at most `max_bytes`.
PublicFile read_public_file(const std::filesystem::path& public_dir, std::string_view path,
                            std::size_t max_bytes);

}  // namespace actionhost
