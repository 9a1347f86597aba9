#include "crashes/quarantine.hpp"

#include <algorithm>
#include <cstring>

#include "crashes/running_plugin.hpp"
#include "util/file_stamp.hpp"

namespace actionhost::crash {
namespace {

// The entry for `file` that matches its stamp now, if any.
const QuarantinedFile* matching(const std::filesystem::path& file) {
  const CrashState* state = crash::state();
  if (!state) return nullptr;
  const FileStamp stamp = FileStamp::of(file);
  if (!stamp.exists()) return nullptr;
  const std::string name = file.filename().string();
  for (std::uint32_t i = 0; i < std::min(state->quarantined_count, CrashState::kQuarantined); ++i) {
    const QuarantinedFile& entry = state->quarantined[i];
    if (name == entry.file && entry.size == stamp.size && entry.modified_ns == stamp.modified_ns) return &entry;
  }
  return nullptr;
}

}  // namespace

std::optional<std::string> quarantine_reason(const std::filesystem::path& file) {
  const QuarantinedFile* entry = matching(file);
  if (!entry) return std::nullopt;
  return std::string("quarantined: it crashed the server (") + entry->signal + " in " + entry->action +
         "); rebuild it, or touch " + file.filename().string() + " to try it again";
}

std::uint32_t crash_count() {
  const CrashState* state = crash::state();
  return state ? state->crashes : 0;
}

Json quarantined_files(const std::filesystem::path& plugins_dir) {
  Json files = Json::array();
  const CrashState* state = crash::state();
  if (!state) return files;
  for (std::uint32_t i = 0; i < std::min(state->quarantined_count, CrashState::kQuarantined); ++i) {
    const QuarantinedFile& entry = state->quarantined[i];
    if (matching(plugins_dir / entry.file) != &entry) continue;  // rebuilt or touched since
    files.push_back(
        {{"file", entry.file}, {"signal", entry.signal}, {"action", entry.action}, {"at", entry.at}});
  }
  return files;
}

bool quarantine(CrashState& state, const std::filesystem::path& plugins_dir, const std::string& file,
                const std::string& signal, const std::string& action, std::int64_t at) {
  const FileStamp stamp = FileStamp::of(plugins_dir / file);
  if (!stamp.exists()) return false;
  // The same file again replaces its entry; a full list drops its oldest.
  std::uint32_t index = 0;
  while (index < state.quarantined_count && file != state.quarantined[index].file) ++index;
  if (index == CrashState::kQuarantined) {
    std::memmove(&state.quarantined[0], &state.quarantined[1],
                 sizeof(QuarantinedFile) * (CrashState::kQuarantined - 1));
    index = CrashState::kQuarantined - 1;
  }
  QuarantinedFile& entry = state.quarantined[index];
  copy_field(entry.file, file);
  entry.size = stamp.size;
  entry.modified_ns = stamp.modified_ns;
  copy_field(entry.signal, signal);
  copy_field(entry.action, action);
  entry.at = at;
  state.quarantined_count = std::max(state.quarantined_count, index + 1);
  return true;
}

}  // namespace actionhost::crash
