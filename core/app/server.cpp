#include "app/server.hpp"

#include <csignal>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "net/listener.hpp"
#include "net/tls_context.hpp"
#include "util/uuid.hpp"

namespace actionhost {

Server::Server(Config config)
    : config_(std::move(config)),
      id_(config_.server.id.empty() ? make_uuid_v4() : config_.server.id),
      services_{config_, rooms_, connections_, actions_},
      io_(thread_count()),
      work_(io_.get_executor()),
      signals_(io_, SIGINT, SIGTERM) {
  for (const auto& room : config_.chat.starting_rooms) rooms_.create(room);
  if (!config_.chat.default_room.empty()) rooms_.create(config_.chat.default_room);
  if (config_.socket.enabled && config_.socket.secure) {
    tls_ = make_tls_context(config_.socket.cert, config_.socket.key);
  }
}

Server::~Server() = default;

int Server::thread_count() const {
  if (config_.server.threads > 0) return config_.server.threads;
  return std::max(1u, std::thread::hardware_concurrency());
}

void Server::run() {
  if (config_.socket.enabled) {
    listener_ = std::make_shared<Listener>(io_, services_, tls_.get());
    auto endpoint = listener_->listen();
    listener_->start();
    spdlog::info("{} (server id {}) listening on {}:{}{}", config_.server.name, id_,
                 endpoint.address().to_string(), endpoint.port(),
                 tls_ ? " with TLS" : "");
  } else {
    spdlog::warn("socket.enabled = false: no client can connect; stop with SIGINT or SIGTERM");
  }
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("received {}; shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
    begin_shutdown();
  });

  std::vector<std::thread> threads;
  const int count = thread_count();
  for (int i = 1; i < count; ++i) threads.emplace_back([this] { io_.run(); });
  io_.run();
  for (auto& thread : threads) thread.join();
  spdlog::info("stopped");
}

void Server::stop() {
  boost::asio::post(io_, [this] { begin_shutdown(); });
}

// Stops accepting, says goodbye to every client, and lets io_context::run return once
// the last connection has closed (each closing connection has its own deadline).
void Server::begin_shutdown() {
  if (services_.shutting_down.exchange(true)) return;
  boost::system::error_code ec;
  signals_.cancel(ec);
  if (listener_) listener_->stop();
  for (const auto& peer : connections_.snapshot()) peer->close_with_goodbye();
  work_.reset();
}

}  // namespace actionhost
