#include "app/server.hpp"

#include <csignal>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "net/listener.hpp"
#include "net/tls_context.hpp"
#include "util/clock.hpp"
#include "util/uuid.hpp"

namespace actionhost {
namespace {

// How long closing connections get to flush their goodbye before the process exits anyway.
constexpr auto kGoodbyeTimeout = std::chrono::seconds(7);
constexpr auto kShutdownPoll = std::chrono::milliseconds(10);

int threads_for(const Config& config) {
  if (config.server.threads > 0) return config.server.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

Server::Server(Config config)
    : config_(std::move(config)),
      io_(threads_for(config_)),
      workers_(static_cast<std::size_t>(config_.actions.worker_threads)),
      services_{config_, rooms_, connections_, actions_, cache_, io_.main(), workers_,
                config_.server.id.empty() ? make_uuid_v4() : config_.server.id, now_ms()},
      signals_(io_.main(), SIGINT, SIGTERM, SIGHUP),
      shutdown_timer_(io_.main()) {
  for (const auto& room : config_.chat.starting_rooms) rooms_.create(room);
  if (!config_.chat.default_room.empty()) rooms_.create(config_.chat.default_room);
  if (config_.socket.enabled && config_.socket.secure) {
    tls_ = make_tls_context(config_.socket.cert, config_.socket.key);
  }
  plugins_ = std::make_unique<PluginManager>(services_);
  problems_ = plugins_->load_all();
}

Server::~Server() {
  // Let go of the plugins while everything they may call is still here; a library still in
  // use by a queued request or timer closes when the io_context drops those.
  actions_.clear();
}

void Server::run() {
  // Watch the plugins folder before announcing the port: whoever waits for the listening
  // line may change plugins right after it.
  plugins_->start();
  if (config_.socket.enabled) {
    listener_ = std::make_shared<Listener>(io_, services_, tls_.get());
    auto endpoint = listener_->listen();
    listener_->start();
    // Always logged, whatever log.level: scripts and tests read the port from it.
    spdlog::log(std::max(spdlog::level::info, spdlog::default_logger()->level()),
                "{} (server id {}) listening on {}:{}{}", config_.server.name, services_.server_id,
                endpoint.address().to_string(), endpoint.port(), tls_ ? " with TLS" : "");
  } else {
    spdlog::warn("socket.enabled = false: no client can connect; stop with SIGINT or SIGTERM");
  }
  wait_for_signal();

  io_.run();
  plugins_->stop();
  workers_.join();
  spdlog::info("stopped");
}

void Server::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      spdlog::info("received SIGHUP; rescanning the plugins folder");
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

// Stops accepting; new actions are refused from now on (Services::shutting_down). Actions in
// flight get server.shutdown_grace_ms to answer, then every client gets the goodbye line.
void Server::begin_shutdown(const char* why) {
  if (services_.shutting_down.exchange(true)) return;
  // Logged once new actions are refused, so that whoever reads it can rely on that.
  spdlog::info("{}; shutting down", why);
  boost::system::error_code ec;
  signals_.cancel(ec);
  if (listener_) listener_->stop();
  wait_for_actions(std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(config_.server.shutdown_grace_ms));
}

void Server::wait_for_actions(std::chrono::steady_clock::time_point deadline) {
  const auto in_flight = services_.actions_in_flight.load();
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
