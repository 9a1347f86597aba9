#include "app/server.hpp"

#include "config/config_loader.hpp"

#include <csignal>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "crashes/running_plugin.hpp"
#include "metrics/metrics_text.hpp"
#include "net/listener.hpp"
#include "net/tls_context.hpp"
#include "util/clock.hpp"
#include "util/uuid.hpp"

namespace actionhost {
namespace {

// How long closing connections get to flush their goodbye before the process exits anyway.
constexpr auto kGoodbyeTimeout = std::chrono::seconds(7);
constexpr auto kShutdownPoll = std::chrono::milliseconds(10);

// The level of the lines logged whatever log.level says (at info, or the configured level
// when higher): scripts and tests read the ports from them.
spdlog::level::level_enum always_logged() {
  return std::max(spdlog::level::info, spdlog::default_logger()->level());
}

int threads_for(const Config& config) {
  if (config.server.threads > 0) return config.server.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

ActionSettings action_settings(const Config& config) {
  ActionSettings settings;
  settings.simultaneous_actions = static_cast<std::uint64_t>(config.server.simultaneous_actions);
  settings.timeout_ms = config.actions.timeout_ms;
  settings.scrub_params = !config.server.disable_param_scrubbing;
  settings.log.level = ActionLogSettings::level_of(config.log.actions);
  settings.log.filter_params = config.log.filter_params;
  return settings;
}

RequestSettings request_settings(const Config& config) {
  RequestSettings settings;
  settings.welcome_message = config.server.welcome_message;
  settings.default_room = config.chat.default_room;
  settings.max_line_bytes = config.socket.max_line_bytes;
  settings.max_file_bytes = config.socket.max_output_bytes;
  settings.public_dir = config.files.public_dir;
  settings.scrub_params = !config.server.disable_param_scrubbing;
  settings.max_params = config.socket.max_params;
  settings.max_params_bytes = config.socket.max_params_bytes;
  return settings;
}

}  // namespace

Server::Server(Config config, int listening_fd)
    : config_(std::move(config)),
      status_(config_.server.id.empty() ? make_uuid_v4() : config_.server.id, now_ms()),
      rooms_(config_.chat.max_rooms, config_.chat.max_members_per_room),
      cache_(config_.cache.max_bytes),
      cache_service_(cache_),
      chat_(rooms_, actions_, connections_),
      io_(threads_for(config_)),
      workers_(static_cast<std::size_t>(config_.actions.worker_threads)),
      plugin_timers_(io_.main()),
      host_services_{
          cache_service_,           chat_, actions_, connections_, status_, plugin_timers_, config_.plugins.dir,
          &config_.plugins.settings},
      runner_(action_settings(config_), actions_, status_, io_.main(), workers_),
      requests_{request_settings(config_), chat_, actions_, runner_},
      sessions_{config_.socket, connections_, status_.shutting_down, requests_, status_.requests},
      signals_(io_.main(), SIGINT, SIGTERM, SIGHUP),
      shutdown_timer_(io_.main()),
      listening_fd_(listening_fd) {
  // Starting rooms count toward chat.max_rooms; one past it is not created (and logged).
  auto create = [this](const std::string& room) {
    auto created = rooms_.create(room);
    if (!created && created.problem().kind != Problem::Kind::conflict) {
      spdlog::warn("starting room {} not created: {} (chat.max_rooms)", room, created.problem().message);
    }
  };
  for (const auto& room : config_.chat.starting_rooms) create(room);
  if (!config_.chat.default_room.empty()) create(config_.chat.default_room);
}

Result<std::unique_ptr<Server>> Server::create(Config config, int listening_fd) {
  std::unique_ptr<Server> server(new Server(std::move(config), listening_fd));
  if (auto loaded = server->load(); !loaded) return std::move(loaded).problem();
  return server;
}

Result<> Server::load() {
  if (auto joined = join_cluster(); !joined) return joined;
  if (config_.socket.enabled && config_.socket.secure) {
    auto tls = make_tls_context(config_.socket.cert, config_.socket.key);
    if (!tls) return std::move(tls).problem();
    tls_ = std::move(*tls);
  }
  plugins_ = std::make_unique<PluginManager>(config_.plugins, actions_, status_, host_tables(host_services_),
                                             config_.actions.timeout_ms, &config_.plugins.settings);
  problems_ = plugins_->load_all();
  return {};
}

// Cluster mode (cluster.redis set): chat and the cache go through Redis from now on. The
// node connects when run() starts it; Redis being down then is not an error (SPEC §9).
Result<> Server::join_cluster() {
  const ClusterConfig& wanted = config_.cluster;
  if (wanted.redis.empty()) return {};
  auto address = parse_redis_url(wanted.redis);
  if (!address) return std::move(address).problem();
  if (wanted.token.empty()) {
    return Problem::invalid("cluster.token is required when cluster.redis is set: the same token as the other "
                            "servers' (actionhero's serverToken)");
  }
  ClusterSettings settings{*address, wanted.token, wanted.channel, wanted.presence_ttl_ms, status_.server_id};
  Cluster::Handlers handlers;
  handlers.chat = [this](const cluster::Incoming& message) { chat_.deliver(message); };
  handlers.call = [this](const cluster::Incoming& call, std::function<void(const std::string*)> respond) {
    chat_.run_call(call, respond);
  };
  handlers.local_members = [this] { return chat_.local_members(); };
  handlers.holds = [this](const std::string& room, const std::string& id) { return chat_.holds(room, id); };
  cluster_ = std::make_unique<Cluster>(std::move(settings), std::move(handlers), io_.main().get_executor());
  for (const auto& room : rooms_.names()) cluster_->remember_room(room);
  chat_.use_cluster(cluster_.get(), io_.main().get_executor());
  cache_service_.use_cluster(cluster_.get());
  return {};
}

Server::~Server() {
  // Let go of the plugins while everything they may call is still here; a library still in
  // use by a queued request or timer closes when the io_context drops those.
  actions_.clear();
}

Result<> Server::run() {
  // Watch the plugins folder before announcing the port: whoever waits for the listening
  // line may change plugins right after it.
  plugins_->start();
  if (cluster_) cluster_->start();
  if (auto serving = serve_metrics(); !serving) {
    plugins_->stop();
    if (cluster_) cluster_->stop(0);
    return serving;
  }
  if (config_.socket.enabled) {
    listener_ = std::make_shared<Listener>(io_, sessions_, tls_.get(), listening_fd_);
    auto endpoint = listener_->listen();
    if (!endpoint) {
      plugins_->stop();
      if (cluster_) cluster_->stop(0);
      return std::move(endpoint).problem();
    }
    listener_->start();
    spdlog::log(always_logged(), "{} (server id {}) listening on {}:{}{}", config_.server.name,
                status_.server_id, endpoint->address().to_string(), endpoint->port(), tls_ ? " with TLS" : "");
  } else {
    spdlog::warn("socket.enabled = false: no client can connect; stop with SIGINT or SIGTERM");
  }
  wait_for_signal();
  if (CrashState* crashes = crash::state()) crashes->serving = 1;  // a crash from now on is restarted

  io_.run();
  plugin_timers_.close();  // no thread runs the timers' context any more
  plugins_->stop();
  workers_.join();
  // Every connection has closed (and left its rooms); now this server leaves the cluster.
  if (cluster_) cluster_->stop();
  if (metrics_) metrics_->stop();
  spdlog::info("stopped");
  return {};
}

// metrics.listen set: GET /metrics and GET /healthz on a thread of their own (SPEC §10).
Result<> Server::serve_metrics() {
  if (config_.metrics.listen.empty()) return {};
  MetricsEndpoint::Handlers handlers;
  handlers.metrics = [this] {
    return metrics_text({status_, connections_, config_.plugins.dir, cluster_.get()});
  };
  handlers.shutting_down = &status_.shutting_down;
  metrics_ = std::make_unique<MetricsEndpoint>(std::move(handlers));
  auto bound = metrics_->start(config_.metrics.host, config_.metrics.port);
  if (!bound) return std::move(bound).problem();
  const auto address = bound->address();
  spdlog::log(always_logged(), "metrics on http://{}{}{}:{}", address.is_v6() ? "[" : "", address.to_string(),
              address.is_v6() ? "]" : "", bound->port());
  return {};
}

void Server::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      spdlog::info("received SIGHUP; rescanning the plugins folder and re-reading plugin settings");
      if (config_file_) {
        auto fresh = load_config_file(*config_file_, overrides_);
        if (fresh) {
          plugins_->update_settings(std::move(fresh->plugins.settings));
        } else {
          spdlog::error("SIGHUP: {} has errors, plugin settings are unchanged: {}", *config_file_,
                        fresh.problem().message);
        }
      }
      plugins_->rescan();
      wait_for_signal();
      return;
    }
    begin_shutdown(signal == SIGINT ? "received SIGINT" : "received SIGTERM");
  });
}

void Server::stop() {
  boost::asio::post(io_.main(), [this] { begin_shutdown("stop requested"); });
}

// Stops accepting; new actions are refused from now on (ServerStatus::shutting_down). Actions in
// flight get server.shutdown_grace_ms to answer, then every client gets the goodbye line.
void Server::begin_shutdown(const char* why) {
  if (status_.shutting_down.exchange(true)) return;
  // Logged once new actions are refused, so that whoever reads it can rely on that.
  spdlog::info("{}; shutting down", why);
  boost::system::error_code ec;
  signals_.cancel(ec);
  if (listener_) listener_->stop();
  wait_for_actions(std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(config_.server.shutdown_grace_ms));
}

void Server::wait_for_actions(std::chrono::steady_clock::time_point deadline) {
  const auto in_flight = status_.actions_in_flight.load();
  if (in_flight > 0 && std::chrono::steady_clock::now() < deadline) {
    shutdown_timer_.expires_after(kShutdownPoll);
    shutdown_timer_.async_wait([this, deadline](const boost::system::error_code& ec) {
      if (!ec) wait_for_actions(deadline);
    });
    return;
  }
  if (in_flight > 0) {
    spdlog::warn("{} action(s) still running after server.shutdown_grace_ms; closing anyway", in_flight);
  }
  for (const auto& peer : connections_.snapshot()) peer->close_with_goodbye();
  wait_for_connections(std::chrono::steady_clock::now() + kGoodbyeTimeout);
}

// Each closing connection has its own deadlines; this one bounds the whole exit, including
// TLS handshakes in progress and plugin timers that would otherwise keep the loop alive.
void Server::wait_for_connections(std::chrono::steady_clock::time_point deadline) {
  if (connections_.size() > 0 && std::chrono::steady_clock::now() < deadline) {
    shutdown_timer_.expires_after(kShutdownPoll);
    shutdown_timer_.async_wait([this, deadline](const boost::system::error_code& ec) {
      if (!ec) wait_for_connections(deadline);
    });
    return;
  }
  io_.stop();
}

}  // namespace actionhost
