#pragma once
// A redis-server of a test's own, on a free port, with nothing saved to disk; and a small
// synchronous client (hiredis) for the test to look into it and publish as another server
// would.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cluster/redis_reply.hpp"

struct redisContext;

namespace actionhost::test {

class RedisServer {
 public:
  // Starts it and waits until it answers PING; throws std::runtime_error when it cannot.
  RedisServer();
  ~RedisServer();
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  // SIGKILL, like a crash: everything it held is gone (nothing is saved).
  void kill();
  // Starts it again on the same port, empty.
  void restart();
  // SIGSTOP / SIGCONT: it keeps its connections and answers nothing, like a partition.
  void pause();
  void resume();

 private:
  void start();
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

// One synchronous connection (hiredis's blocking API).
class RedisClient {
 public:
  explicit RedisClient(std::uint16_t port);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  RedisReply command(const std::vector<std::string>& args);
  // After command({"SUBSCRIBE", channel}): the next message's payload, or "" after
  // `timeout_ms` without one.
  std::string next_message(int timeout_ms);

 private:
  redisContext* context_ = nullptr;
};

}  // namespace actionhost::test
