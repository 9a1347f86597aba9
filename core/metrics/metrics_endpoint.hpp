#pragma once
// The HTTP endpoint of `metrics.listen` (SPEC §10): GET /metrics (Prometheus text) and
// GET /healthz (200 "serving", 503 "shutting down"). It runs on a thread of its own, so a
// slow scraper never holds a connection's I/O thread, and it keeps answering through the
// graceful shutdown, which is when /healthz matters most.

#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "util/result.hpp"

namespace actionhost {

class MetricsEndpoint {
 public:
  struct Handlers {
    std::function<std::string()> metrics;  // the /metrics body; called on the endpoint's thread
    const std::atomic<bool>* shutting_down = nullptr;
  };

  explicit MetricsEndpoint(Handlers handlers);
  ~MetricsEndpoint();  // stops it
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;

  // Binds HOST:PORT (port 0: the OS chooses) and starts serving; the bound endpoint, or why not.
  Result<boost::asio::ip::tcp::endpoint> start(const std::string& host, int port);
  void stop();

 private:
  class Exchange;

  void accept();
  bool evict_one();

  Handlers handlers_;
  // The connections open, oldest first (the endpoint's thread alone); before io_, whose end
  // drops them.
  std::list<std::weak_ptr<Exchange>> open_;
  std::chrono::steady_clock::time_point last_refusal_log_{};
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // after a failed accept
  std::thread thread_;
};

}  // namespace actionhost
