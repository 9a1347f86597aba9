#pragma once
// Watches plugins.dir (the folder, not the files) with inotify, through Asio, and reports
// each *.so that was written and closed, renamed in, renamed out or deleted — once it has
// been quiet for plugins.debounce_ms, so a file written in several steps is reported once.
//
// Runs on the io_context it is given (the plugin manager's own thread); not thread-safe.

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/result.hpp"

namespace actionhost {

class PluginWatcher {
 public:
  using OnChange = std::function<void(const std::filesystem::path& file)>;
  using OnLostEvents = std::function<void()>;

  // `on_lost_events` runs when the kernel's event queue overflowed: changes may have been
  // missed, and the whole folder needs a rescan.
  PluginWatcher(boost::asio::io_context& io, std::filesystem::path dir, std::chrono::milliseconds debounce,
                OnChange on_change, OnLostEvents on_lost_events);

  // Starts watching; a Problem naming the folder when inotify refuses.
  Result<> start();
  void stop();

 private:
  void do_read();
  void on_read(const boost::system::error_code& ec, std::size_t bytes);
  void note_change(const std::string& name);
  void arm_timer();
  void on_timer(const boost::system::error_code& ec);

  std::filesystem::path dir_;
  std::chrono::milliseconds debounce_;
  OnChange on_change_;
  OnLostEvents on_lost_events_;
  boost::asio::posix::stream_descriptor inotify_;
  boost::asio::steady_timer timer_;
  std::map<std::string, std::chrono::steady_clock::time_point> quiet_at_;  // name → report time
  alignas(8) std::array<char, 16 * 1024> buffer_{};
};

}  // namespace actionhost
