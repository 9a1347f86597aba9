#pragma once
// The running server: owns the I/O threads, the shared state, the plugins and the listener.
//
// Threading model
// ---------------
// server.threads I/O threads (one per core when 0), each running its own io_context
// (net/io_pool.hpp); the first also runs the listener, signals and timers. Each connection
// is a Session bound at accept to one of them: its reads, request handling (verbs and the
// action pipeline up to the action's start) and writes run one at a time, in order, on that
// thread, and its protocol state (sticky params, counters), owned by its RequestHandler, is
// touched only there. An action that is slow without declaring itself
// blocking delays the connections of its thread only. What several threads share has one owner
// each, with a lock held only for bookkeeping, never across I/O or a call into a
// connection or a plugin:
//   - RoomRegistry owns room membership, and so each connection's rooms (copy-on-write
//     member lists, so a broadcast reads a snapshot and delivers with no lock held);
//   - ConnectionTable owns the set of admitted connections (limits, counts, shutdown);
//   - ActionRegistry owns the current ActionSet, an immutable snapshot each request takes
//     when it starts; a plugin's library stays loaded while anything from it is in use;
//   - each Session's Outbox owns the bytes queued for that client; any thread may queue
//     into it, only the session's thread writes from it.
// Actions run on the requesting connection's thread, or, when they declare themselves
// blocking, on a separate pool of actions.worker_threads threads. A plugin may answer from
// any thread; the answer is handed to the connection's thread. Plugin timers and signals
// (SIGINT, SIGTERM, SIGHUP) run on the main io_context like any other event. Plugins are loaded
// and unloaded on the PluginManager's own thread.
//
// The Server is where the layers meet (README, "Layers"): it owns every shared object and
// hands each part only the ones it uses.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "actions/action_registry.hpp"
#include "cache/memory_cache.hpp"
#include "cluster/cluster.hpp"
#include "config/config.hpp"
#include "connections/connection_table.hpp"
#include "dispatch/action_runner.hpp"
#include "dispatch/request_handler.hpp"
#include "metrics/metrics_endpoint.hpp"
#include "net/io_pool.hpp"
#include "net/session.hpp"
#include "plugins/host_api.hpp"
#include "plugins/plugin_manager.hpp"
#include "rooms/room_registry.hpp"
#include "services/cache_service.hpp"
#include "services/chat_service.hpp"
#include "status/server_status.hpp"
#include "util/result.hpp"

namespace actionhost {

class Listener;

class Server {
 public:
  // Loads the TLS files and every plugin: a Problem when something the config names cannot
  // be used. Plugins that fail to load are logged and listed in problems().
  // `listening_fd`, when not -1, is the listening socket to serve on (from the supervisor).
  static Result<std::unique_ptr<Server>> create(Config config, int listening_fd = -1);

  // Where SIGHUP re-reads the plugins' settings ([plugins.config] of the file, and the
  // --set plugins.config.NAME.KEY overrides); without it, SIGHUP only rescans the folder.
  void reread_plugin_settings_from(std::string config_file, std::vector<std::string> overrides) {
    config_file_ = std::move(config_file);
    overrides_ = std::move(overrides);
  }
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Listens, serves until SIGINT/SIGTERM or stop(), then shuts down gracefully; a Problem
  // when it cannot listen.
  Result<> run();
  // Begins the graceful shutdown. Thread-safe.
  void stop();

  const std::vector<std::string>& problems() const { return problems_; }
  const ActionSet& actions() const { return *actions_.current(); }

 private:
  Server(Config config, int listening_fd);
  Result<> load();
  Result<> join_cluster();
  Result<> serve_metrics();
  void wait_for_signal();
  void begin_shutdown(const char* why);
  void wait_for_actions(std::chrono::steady_clock::time_point deadline);
  void wait_for_connections(std::chrono::steady_clock::time_point deadline);

  // Declared so that destruction runs: listener, signals, the plugin manager, the contexts
  // (plain references, used by no destructor), the io_contexts (and with them every session,
  // request and timer still queued), then the shared state they used.
  Config config_;
  std::optional<std::string> config_file_;  // for SIGHUP
  std::vector<std::string> overrides_;
  ServerStatus status_;
  RoomRegistry rooms_;
  ConnectionTable connections_;
  MemoryCache cache_;
  ActionRegistry actions_;
  CacheService cache_service_;
  ChatService chat_;
  IoPool io_;
  boost::asio::thread_pool workers_;
  TimerService plugin_timers_;
  HostServices host_services_;
  ActionRunner runner_;
  RequestContext requests_;
  SessionContext sessions_;
  std::unique_ptr<Cluster> cluster_;  // cluster mode only; its handlers use chat_ and io_
  std::unique_ptr<PluginManager> plugins_;
  std::vector<std::string> problems_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer shutdown_timer_;
  std::unique_ptr<boost::asio::ssl::context> tls_;
  int listening_fd_;
  std::shared_ptr<Listener> listener_;
  std::unique_ptr<MetricsEndpoint> metrics_;  // metrics.listen set; reads status_ and connections_
};

}  // namespace actionhost
