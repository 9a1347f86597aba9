#include "plugins/plugin_timers.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "crashes/running_plugin.hpp"
#include "plugins/plugin_library.hpp"

namespace actionhost {

PluginTimer::PluginTimer(TimerService& service, std::shared_ptr<PluginLibrary> library, std::uint64_t id,
                         std::chrono::milliseconds interval, Callbacks callbacks)
    : service_(service),
      library_(std::move(library)),
      id_(id),
      interval_(interval),
      callbacks_(callbacks),
      timer_(service.io()) {}

PluginTimer::~PluginTimer() {
  if (library_) finish();
}

void PluginTimer::arm(std::chrono::milliseconds delay) {
  timer_.expires_after(delay);
  timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) { self->on_wait(ec); });
}

void PluginTimer::cancel() {
  if (!service_.open()) return;  // the I/O threads have stopped: it will never fire
  boost::asio::post(service_.io(), [self = shared_from_this()] {
    self->cancelled_ = true;
    self->timer_.cancel();
  });
}

void PluginTimer::on_wait(const boost::system::error_code& ec) {
  if (ec || cancelled_) {
    finish();
    return;
  }
  try {
    crash::RunningPlugin running(library_->timer_site());
    callbacks_.fire(callbacks_.user);
  } catch (...) {
    spdlog::error("a timer callback of plugin {} threw", library_->name());
  }
  if (interval_.count() > 0 && !cancelled_) {
    arm(interval_);
    return;
  }
  finish();
}

void PluginTimer::finish() {
  if (callbacks_.drop) {
    try {
      crash::RunningPlugin running(library_->timer_site());
      callbacks_.drop(callbacks_.user);
    } catch (...) {
      spdlog::error("a timer release callback of plugin {} threw", library_->name());
    }
  }
  library_->timer_done(id_);
  library_.reset();  // may be the last reference: the closer takes it from here
}

}  // namespace actionhost
