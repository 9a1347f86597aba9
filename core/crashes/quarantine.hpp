#pragma once
// Plugin files quarantined after they crashed the server (SPEC §8): the supervisor records
// them in the CrashState; a server refuses such a file until its size or modification time
// changes (a new build, or `touch`).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "crashes/crash_state.hpp"
#include "util/json.hpp"

namespace actionhost::crash {

// Why `file` (a path in plugins.dir) is refused, when it is quarantined as it is now.
std::optional<std::string> quarantine_reason(const std::filesystem::path& file);

// Crashes since the supervisor started (0 without one).
std::uint32_t crash_count();

// [{"file","signal","action","at"}] for the files of `plugins_dir` still quarantined.
Json quarantined_files(const std::filesystem::path& plugins_dir);

// Supervisor side: quarantines `file` of `plugins_dir` as it is now; false when it is gone.
bool quarantine(CrashState& state, const std::filesystem::path& plugins_dir, const std::string& file,
                const std::string& signal, const std::string& action, std::int64_t at);

}  // namespace actionhost::crash
