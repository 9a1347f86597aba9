#include "plugins/plugin_library.hpp"

#include <spdlog/spdlog.h>

#include "crashes/running_plugin.hpp"

namespace actionhost {

PluginLibrary::PluginLibrary(boost::dll::shared_library library, Identity identity, std::string file,
                             FileStamp stamp, HostServices& services)
    : library_(std::move(library)),
      identity_(std::move(identity)),
      file_(std::move(file)),
      stamp_(stamp),
      services_(services) {}

PluginLibrary::~PluginLibrary() {
  if (!loaded_) return;  // refused before on_load succeeded: nothing to undo
  if (identity_.unload_v1 || identity_.unload_v2) {
    try {
      crash::RunningPlugin running(crash::register_site(file_, "on_unload"));
      if (identity_.unload_v2) {
        identity_.unload_v2(handle());
      } else {
        identity_.unload_v1();
      }
    } catch (...) {
      spdlog::error("plugin {} ({}) threw from on_unload", name(), file_);
    }
  }
  library_.unload();  // dlclose now, so that the log line below is true when it appears
  spdlog::info("closed plugin {} {} from {}: nothing of it is in use any more", name(), version(), file_);
}

Result<std::uint64_t> PluginLibrary::start_timer(TimerService& service, std::chrono::milliseconds delay,
                                                 std::chrono::milliseconds interval,
                                                 PluginTimer::Callbacks callbacks) {
  std::shared_ptr<PluginTimer> timer;
  {
    std::lock_guard lock(timers_mutex_);
    if (retired_) return Problem::invalid("plugin " + name() + " is being unloaded: no new timer");
    const std::uint64_t id = next_timer_id_++;
    if (timer_site_ == 0) timer_site_ = crash::register_site(file_, "timer");
    timer = std::make_shared<PluginTimer>(service, shared_from_this(), id, interval, callbacks);
    timers_.emplace(id, timer);
  }
  timer->arm(delay);
  return timer->id();
}

Result<> PluginLibrary::cancel_timer(std::uint64_t id) {
  std::shared_ptr<PluginTimer> timer;
  {
    std::lock_guard lock(timers_mutex_);
    auto it = timers_.find(id);
    if (it != timers_.end()) {
      timer = it->second.lock();
      timers_.erase(it);  // cancelled now: a second cancel finds nothing, whenever it runs
    }
  }
  if (!timer) return Problem::not_found("no pending timer " + std::to_string(id));
  timer->cancel();
  return {};
}

void PluginLibrary::retire() {
  std::vector<std::shared_ptr<PluginTimer>> pending;
  {
    std::lock_guard lock(timers_mutex_);
    retired_ = true;
    for (auto& [id, weak] : timers_) {
      if (auto timer = weak.lock()) pending.push_back(std::move(timer));
    }
  }
  for (auto& timer : pending) timer->cancel();
}

void PluginLibrary::timer_done(std::uint64_t id) {
  std::lock_guard lock(timers_mutex_);
  timers_.erase(id);
}

}  // namespace actionhost
