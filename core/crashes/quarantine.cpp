#include "crashes/quarantine.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "crashes/running_plugin.hpp"

namespace actionhost::crash {
namespace {

struct Stamp {
  std::uint64_t size = 0;
  std::int64_t modified_ns = 0;
};

std::optional<Stamp> stamp_of(const std::filesystem::path& file) {
  struct stat info {};
  if (::stat(file.c_str(), &info) != 0) return std::nullopt;
  return Stamp{static_cast<std::uint64_t>(info.st_size),
               static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec};
}

// The entry for `file` that matches its stamp now, if any.
const QuarantinedFile* matching(const std::filesystem::path& file) {
  const CrashState* state = crash::state();
  if (!state) return nullptr;
  auto stamp = stamp_of(file);
  if (!stamp) return nullptr;
  const std::string name = file.filename().string();
  for (std::uint32_t i = 0; i < std::min(state->quarantined_count, CrashState::kQuarantined); ++i) {
    const QuarantinedFile& entry = state->quarantined[i];
    if (name == entry.file && entry.size == stamp->size && entry.modified_ns == stamp->modified_ns)
      return &entry;
  }
  return nullptr;
}

void copy_into(char* target, std::size_t capacity, const std::string& text) {
  const std::size_t n = std::min(capacity - 1, text.size());
  std::memcpy(target, text.data(), n);
  target[n] = '\0';
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
  auto stamp = stamp_of(plugins_dir / file);
  if (!stamp) return false;
  // The same file again replaces its entry; a full list drops its oldest.
  std::uint32_t index = 0;
  while (index < state.quarantined_count && file != state.quarantined[index].file) ++index;
  if (index == CrashState::kQuarantined) {
    std::memmove(&state.quarantined[0], &state.quarantined[1],
                 sizeof(QuarantinedFile) * (CrashState::kQuarantined - 1));
    index = CrashState::kQuarantined - 1;
  }
  QuarantinedFile& entry = state.quarantined[index];
  copy_into(entry.file, sizeof entry.file, file);
  entry.size = stamp->size;
  entry.modified_ns = stamp->modified_ns;
  copy_into(entry.signal, sizeof entry.signal, signal);
  copy_into(entry.action, sizeof entry.action, action);
  entry.at = at;
  state.quarantined_count = std::max(state.quarantined_count, index + 1);
  return true;
}

}  // namespace actionhost::crash
