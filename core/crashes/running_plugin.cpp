#include "crashes/running_plugin.hpp"

#include <algorithm>
#include <cstring>

namespace actionhost::crash {
namespace {

CrashState* g_state = nullptr;

void copy_into(char* target, std::size_t capacity, std::string_view text) {
  const std::size_t n = std::min(capacity - 1, text.size());
  std::memcpy(target, text.data(), n);
  target[n] = '\0';
}

std::atomic<std::uint32_t>* this_thread_slot() {
  thread_local std::atomic<std::uint32_t>* slot = []() -> std::atomic<std::uint32_t>* {
    if (!g_state) return nullptr;
    const std::uint32_t index = g_state->thread_count.fetch_add(1, std::memory_order_relaxed);
    return index < CrashState::kThreads ? &g_state->running[index] : nullptr;
  }();
  return slot;
}

}  // namespace

void attach(CrashState* state) { g_state = state; }
CrashState* state() { return g_state; }

std::uint32_t register_site(std::string_view file, std::string_view kind, std::string_view what) {
  if (!g_state) return 0;
  const std::uint32_t count = g_state->site_count.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) {
    const CrashSite& known = g_state->sites[i];
    if (file == known.file && kind == known.kind && what == known.what) return i + 1;
  }
  if (count >= CrashState::kSites) return 0;
  copy_into(g_state->sites[count].file, sizeof g_state->sites[count].file, file);
  copy_into(g_state->sites[count].what, sizeof g_state->sites[count].what, what);
  copy_into(g_state->sites[count].kind, sizeof g_state->sites[count].kind, kind);
  g_state->site_count.store(count + 1, std::memory_order_release);
  return count + 1;
}

const CrashSite* site(std::uint32_t id) {
  if (!g_state || id == 0 || id > g_state->site_count.load(std::memory_order_acquire)) return nullptr;
  return &g_state->sites[id - 1];
}

RunningPlugin::RunningPlugin(std::uint32_t site) noexcept {
  if (site == 0) return;
  slot_ = this_thread_slot();
  if (!slot_) return;
  // One writer per slot (its thread): a load and a store, no read-modify-write.
  previous_ = slot_->load(std::memory_order_relaxed);
  slot_->store(site, std::memory_order_relaxed);
}

RunningPlugin::~RunningPlugin() {
  if (slot_) slot_->store(previous_, std::memory_order_relaxed);
}

}  // namespace actionhost::crash
