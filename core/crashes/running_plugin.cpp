#include "crashes/running_plugin.hpp"

namespace actionhost::crash {
namespace {

CrashState* g_state = nullptr;

// Constant-initialized thread_locals: no initialization guard on each call into a plugin.
thread_local std::atomic<std::uint32_t>* t_slot = nullptr;

std::atomic<std::uint32_t>* this_thread_slot() {
  std::atomic<std::uint32_t>*& slot = t_slot;
  thread_local bool assigned = false;
  if (!assigned) {
    assigned = true;
    if (g_state) {
      const std::uint32_t index = g_state->thread_count.fetch_add(1, std::memory_order_relaxed);
      if (index < CrashState::kThreads) slot = &g_state->running[index];
    }
  }
  return slot;
}

}  // namespace

void attach(CrashState* state) { g_state = state; }

void record_fault() noexcept {
  if (!g_state) return;
  g_state->fault_site.store(t_slot ? t_slot->load(std::memory_order_relaxed) : 0, std::memory_order_relaxed);
  g_state->fault_recorded.store(1, std::memory_order_release);
}
CrashState* state() { return g_state; }

std::uint32_t register_site(std::string_view file, std::string_view kind, std::string_view what) {
  if (!g_state) return 0;
  const std::uint32_t count = g_state->site_count.load(std::memory_order_relaxed);
  for (std::uint32_t i = 0; i < count; ++i) {
    const CrashSite& known = g_state->sites[i];
    if (file == known.file && kind == known.kind && what == known.what) return i + 1;
  }
  if (count >= CrashState::kSites) return 0;
  copy_field(g_state->sites[count].file, file);
  copy_field(g_state->sites[count].what, what);
  copy_field(g_state->sites[count].kind, kind);
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
