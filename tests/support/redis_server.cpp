#include "support/redis_server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <hiredis/hiredis.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace actionhost::test {
namespace {

std::uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("no free port for redis-server");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

bool answers_ping(std::uint16_t port) {
  timeval timeout{0, 200000};
  redisContext* context = redisConnectWithTimeout("127.0.0.1", port, timeout);
  bool ok = false;
  if (context && !context->err) {
    auto* reply = static_cast<redisReply*>(redisCommand(context, "PING"));
    ok = reply && reply->type == REDIS_REPLY_STATUS;
    if (reply) freeReplyObject(reply);
  }
  if (context) redisFree(context);
  return ok;
}

}  // namespace

RedisServer::RedisServer() : port_(free_port()) { start(); }

RedisServer::~RedisServer() { kill(); }

void RedisServer::start() {
  const std::string port = std::to_string(port_);
  pid_ = ::fork();
  if (pid_ == 0) {
    int null = ::open("/dev/null", O_WRONLY);
    if (null >= 0) {
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
    }
    ::execlp("redis-server", "redis-server", "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!answers_ping(port_)) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error(
          "redis-server exited at start (is it installed? scripts/install-deps installs it)");
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("redis-server did not answer PING");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void RedisServer::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  ::kill(pid_, SIGCONT);  // a stopped process dies only once it runs
  ::waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

void RedisServer::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void RedisServer::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

void RedisServer::restart() {
  kill();
  start();
}

RedisClient::RedisClient(std::uint16_t port) {
  context_ = redisConnect("127.0.0.1", port);
  if (!context_ || context_->err) throw std::runtime_error("cannot connect to redis-server");
}

RedisClient::~RedisClient() {
  if (context_) redisFree(context_);
}

RedisReply RedisClient::command(const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data()));
  RedisReply copy = RedisReply::copy_of(reply);
  if (reply) freeReplyObject(reply);
  return copy;
}

std::string RedisClient::next_message(int timeout_ms) {
  timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  redisSetTimeout(context_, timeout);
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || !raw) {
    // A timed-out read leaves the context unusable: reconnect is the caller's business.
    return "";
  }
  auto* reply = static_cast<redisReply*>(raw);
  std::string payload;
  if (reply->type == REDIS_REPLY_ARRAY && reply->elements == 3 &&
      reply->element[2]->type == REDIS_REPLY_STRING) {
    payload.assign(reply->element[2]->str, reply->element[2]->len);
  }
  freeReplyObject(reply);
  return payload;
}

}  // namespace actionhost::test
