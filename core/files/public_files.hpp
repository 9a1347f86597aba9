#pragma once
// Reads the files the `file` verb serves (SPEC §4.5), never anything outside
// files.public_dir: no "..", no absolute path, no symlink leading out.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace actionhost {

// The bytes of `path` below `public_dir` when it is a regular file of at most `max_bytes`;
// otherwise a not_found or too_large Problem whose message is the answer SPEC §4.5 gives.
Result<std::string> read_public_file(const std::filesystem::path& public_dir, std::string_view path,
                                     std::size_t max_bytes);

}  // namespace actionhost
