#pragma once
// Plugin timers (ah_host_api's timer calls): one-shot or repeating, cancellable, each run on
// the server's timer io_context and each holding its plugin's library loaded until it is
// done. When a version is retired (replaced or removed, and no request of it still running),
// its timers are cancelled: a pending one never fires (SPEC §5.2).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <actionhost/abi.h>

namespace actionhost {

class PluginLibrary;

// Where plugin timers run. Owned by the Server; closed once the I/O threads have stopped, so
// that nothing is posted to an io_context that no thread will run again.
class TimerService {
 public:
  explicit TimerService(boost::asio::io_context& io) : io_(io) {}
  boost::asio::io_context& io() { return io_; }
  bool open() const { return open_.load(); }
  void close() { open_ = false; }

 private:
  boost::asio::io_context& io_;
  std::atomic<bool> open_{true};
};

// One timer. Lives while armed (its wait holds it) or while its callback runs.
class PluginTimer : public std::enable_shared_from_this<PluginTimer> {
 public:
  struct Callbacks {
    ah_timer_fn fire = nullptr;
    ah_timer_fn drop = nullptr;  // or null: called once after the last fire, or on cancel
    void* user = nullptr;
  };

  PluginTimer(TimerService& service, std::shared_ptr<PluginLibrary> library, std::uint64_t id,
              std::chrono::milliseconds interval, Callbacks callbacks);
  // A timer destroyed while still pending (its io_context goes at exit) still runs drop, so
  // the plugin frees what it gave it.
  ~PluginTimer();
  PluginTimer(const PluginTimer&) = delete;
  PluginTimer& operator=(const PluginTimer&) = delete;

  std::uint64_t id() const { return id_; }
  void arm(std::chrono::milliseconds delay);
  // From any thread: the timer will not fire again.
  void cancel();

 private:
  void on_wait(const boost::system::error_code& ec);
  void finish();

  TimerService& service_;
  std::shared_ptr<PluginLibrary> library_;  // released when done
  const std::uint64_t id_;
  const std::chrono::milliseconds interval_;  // 0: fires once
  const Callbacks callbacks_;
  boost::asio::steady_timer timer_;
  bool cancelled_ = false;  // on the timer's thread
};

}  // namespace actionhost
