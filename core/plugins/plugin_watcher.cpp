#include "plugins/plugin_watcher.hpp"

#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace actionhost {

PluginWatcher::PluginWatcher(boost::asio::io_context& io, std::filesystem::path dir,
                             std::chrono::milliseconds debounce, OnChange on_change,
                             OnLostEvents on_lost_events)
    : dir_(std::move(dir)),
      debounce_(debounce),
      on_change_(std::move(on_change)),
      on_lost_events_(std::move(on_lost_events)),
      inotify_(io),
      timer_(io) {}

Result<> PluginWatcher::start() {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Problem::internal(std::string("inotify_init1 failed: ") + std::strerror(errno));
  // Written and closed, renamed in or out, deleted: the ways a finished file appears or goes.
  // A file being written (IN_MODIFY) is not reported until it is closed.
  const uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE;
  if (inotify_add_watch(fd, dir_.c_str(), mask) < 0) {
    int error = errno;
    ::close(fd);
    return Problem::internal("cannot watch plugins.dir " + dir_.string() + ": " + std::strerror(error));
  }
  inotify_.assign(fd);
  do_read();
  return {};
}

void PluginWatcher::stop() {
  boost::system::error_code ec;
  inotify_.close(ec);
  timer_.cancel();
}

void PluginWatcher::do_read() {
  inotify_.async_read_some(boost::asio::buffer(buffer_),
                           [this](const boost::system::error_code& ec, std::size_t n) { on_read(ec, n); });
}

void PluginWatcher::on_read(const boost::system::error_code& ec, std::size_t bytes) {
  if (ec) return;  // closed by stop()
  std::size_t offset = 0;
  while (offset + sizeof(inotify_event) <= bytes) {
    const auto* event = reinterpret_cast<const inotify_event*>(buffer_.data() + offset);
    if (event->mask & IN_Q_OVERFLOW) on_lost_events_();
    if (event->len > 0) {
      std::string name(event->name);
      if (std::filesystem::path(name).extension() == ".so") note_change(name);
    }
    offset += sizeof(inotify_event) + event->len;
  }
  do_read();
}

void PluginWatcher::note_change(const std::string& name) {
  quiet_at_[name] = std::chrono::steady_clock::now() + debounce_;
  arm_timer();
}

void PluginWatcher::arm_timer() {
  if (quiet_at_.empty()) return;
  auto earliest = quiet_at_.begin()->second;
  for (const auto& [name, at] : quiet_at_) earliest = std::min(earliest, at);
  timer_.expires_at(earliest);
  timer_.async_wait([this](const boost::system::error_code& ec) { on_timer(ec); });
}

void PluginWatcher::on_timer(const boost::system::error_code& ec) {
  if (ec) return;  // re-armed or stopped
  const auto now = std::chrono::steady_clock::now();
  for (auto it = quiet_at_.begin(); it != quiet_at_.end();) {
    if (it->second <= now) {
      std::filesystem::path file = dir_ / it->first;
      it = quiet_at_.erase(it);
      on_change_(file);
    } else {
      ++it;
    }
  }
  arm_timer();
}

}  // namespace actionhost
