#pragma once
// One connection to Redis: hiredis's asynchronous API driven by an Asio io_context, the way
// hiredis's own adapters (adapters/libuv.h, libevent.h) drive it from other loops: hiredis
// says when it wants to read or write, and an Asio wait on its socket calls it back.
//
// Everything here runs on the io_context's one thread (the cluster's); nothing blocks it.
// A connection that fails or drops calls `on_down` once, answers every command it still
// owed with RedisReply::disconnected(), and is not reused: its owner makes a new one.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cluster/redis_reply.hpp"
#include "cluster/redis_url.hpp"

struct redisAsyncContext;

namespace actionhost {

class RedisConnection : public std::enable_shared_from_this<RedisConnection> {
 public:
  using Callback = std::function<void(const RedisReply&)>;
  using Down = std::function<void(const std::string& why)>;

  // Starts connecting (AUTH and SELECT as the address asks, then PING); `on_up` runs when
  // Redis answered the PING, `on_down` when connecting fails (within `connect_timeout_ms`)
  // or, later, when the connection drops. Call on the io_context's thread.
  static std::shared_ptr<RedisConnection> open(boost::asio::io_context& io, const RedisAddress& address,
                                               int connect_timeout_ms, std::function<void()> on_up,
                                               Down on_down);
  ~RedisConnection();
  RedisConnection(const RedisConnection&) = delete;
  RedisConnection& operator=(const RedisConnection&) = delete;

  // Sends one command; `done` gets its reply (an error reply if the connection is down).
  void command(const std::vector<std::string>& args, Callback done = nullptr);
  // SUBSCRIBE `channel`; `on_subscribed` runs once Redis confirmed it, `on_message` gets
  // each message's payload. A refusal (an ACL, say) drops the connection.
  void subscribe(const std::string& channel, std::function<void(std::string)> on_message,
                 std::function<void()> on_subscribed);
  // Disconnects without calling on_down.
  void close();
  bool up() const { return up_; }

 private:
  struct Watcher;
  RedisConnection(boost::asio::io_context& io, std::function<void()> on_up, Down on_down);
  void start(const RedisAddress& address, int connect_timeout_ms);
  void went_down(const std::string& why);
  static void on_disconnect(const redisAsyncContext* context, int status);
  static void on_connect(const redisAsyncContext* context, int status);

  boost::asio::io_context& io_;
  boost::asio::steady_timer connect_timer_;
  redisAsyncContext* context_ = nullptr;
  std::function<void()> on_up_;
  Down on_down_;
  std::function<void(std::string)> on_message_;
  std::function<void()> on_subscribed_;
  bool up_ = false;
  bool down_ = false;
};

}  // namespace actionhost
