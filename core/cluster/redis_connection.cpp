#include "cluster/redis_connection.hpp"

#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>

namespace actionhost {

namespace asio = boost::asio;

RedisReply RedisReply::copy_of(const redisReply* reply) {
  RedisReply copy;
  if (!reply) return disconnected();
  switch (reply->type) {
    case REDIS_REPLY_INTEGER:
      copy.type = Type::integer;
      copy.integer = reply->integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
      copy.type = reply->type == REDIS_REPLY_STRING   ? Type::string
                  : reply->type == REDIS_REPLY_STATUS ? Type::status
                                                      : Type::error;
      copy.text.assign(reply->str, reply->len);
      break;
    case REDIS_REPLY_ARRAY:
      copy.type = Type::array;
      copy.elements.reserve(reply->elements);
      for (std::size_t i = 0; i < reply->elements; ++i) copy.elements.push_back(copy_of(reply->element[i]));
      break;
    default:
      copy.type = Type::nil;
  }
  return copy;
}

// ------------------------------------------------------------------- the Asio adapter --
// hiredis calls addRead/delRead/addWrite/delWrite when it wants (or no longer wants) to
// know that its socket is readable or writable, and cleanup when it frees the context. A
// wait on the socket, re-armed while hiredis still wants it, calls hiredis back. The
// descriptor stays hiredis's: cleanup releases it from Asio before hiredis closes it.
struct RedisConnection::Watcher : std::enable_shared_from_this<Watcher> {
  Watcher(asio::io_context& io, int fd, redisAsyncContext* c) : socket(io, fd), context(c) {}

  asio::posix::stream_descriptor socket;
  redisAsyncContext* context;  // null once hiredis cleaned up
  // One direction: whether hiredis wants it, and whether a wait for it is armed.
  struct Direction {
    asio::posix::stream_descriptor::wait_type type;
    void (*handle)(redisAsyncContext*);
    bool wanted = false;
    bool waiting = false;
  };
  Direction read{asio::posix::stream_descriptor::wait_read, &redisAsyncHandleRead};
  Direction write{asio::posix::stream_descriptor::wait_write, &redisAsyncHandleWrite};

  void want(Direction Watcher::*which, bool wanted) {
    (this->*which).wanted = wanted;
    if (wanted) arm(which);
  }
  void arm(Direction Watcher::*which) {
    Direction& direction = this->*which;
    if (direction.waiting || !context || !direction.wanted) return;
    direction.waiting = true;
    socket.async_wait(direction.type, [self = shared_from_this(), which](const boost::system::error_code& ec) {
      Direction& d = (*self).*which;
      d.waiting = false;
      if (ec || !self->context || !d.wanted) return;
      d.handle(self->context);
      self->arm(which);
    });
  }

  static Watcher& of(void* data) { return **static_cast<std::shared_ptr<Watcher>*>(data); }

  static void attach(asio::io_context& io, redisAsyncContext* context) {
    auto* holder = new std::shared_ptr<Watcher>(std::make_shared<Watcher>(io, context->c.fd, context));
    context->ev.data = holder;
    context->ev.addRead = [](void* data) { of(data).want(&Watcher::read, true); };
    context->ev.delRead = [](void* data) { of(data).want(&Watcher::read, false); };
    context->ev.addWrite = [](void* data) { of(data).want(&Watcher::write, true); };
    context->ev.delWrite = [](void* data) { of(data).want(&Watcher::write, false); };
    context->ev.cleanup = [](void* data) {
      auto* held = static_cast<std::shared_ptr<Watcher>*>(data);
      Watcher& watcher = **held;
      watcher.context = nullptr;
      boost::system::error_code ignored;
      watcher.socket.cancel(ignored);
      static_cast<void>(watcher.socket.release());
      delete held;  // pending waits keep the Watcher until they complete (and do nothing)
    };
  }
};

// -------------------------------------------------------------------- the connection --

namespace {

void command_done(redisAsyncContext*, void* reply, void* privdata) {
  std::unique_ptr<RedisConnection::Callback> done(static_cast<RedisConnection::Callback*>(privdata));
  if (*done) (*done)(RedisReply::copy_of(static_cast<redisReply*>(reply)));
}

}  // namespace

RedisConnection::RedisConnection(asio::io_context& io, std::function<void()> on_up, Down on_down)
    : io_(io), connect_timer_(io), on_up_(std::move(on_up)), on_down_(std::move(on_down)) {}

RedisConnection::~RedisConnection() { close(); }

std::shared_ptr<RedisConnection> RedisConnection::open(asio::io_context& io, const RedisAddress& address,
                                                       int connect_timeout_ms, std::function<void()> on_up,
                                                       Down on_down) {
  std::shared_ptr<RedisConnection> connection(new RedisConnection(io, std::move(on_up), std::move(on_down)));
  connection->start(address, connect_timeout_ms);
  return connection;
}

void RedisConnection::start(const RedisAddress& address, int connect_timeout_ms) {
  context_ = redisAsyncConnect(address.host.c_str(), address.port);
  if (!context_ || context_->err) {
    went_down(context_ ? context_->errstr : "out of memory");
    if (context_) redisAsyncFree(context_);
    context_ = nullptr;
    return;
  }
  context_->data = this;
  Watcher::attach(io_, context_);
  redisAsyncSetConnectCallback(context_, &RedisConnection::on_connect);
  redisAsyncSetDisconnectCallback(context_, &RedisConnection::on_disconnect);

  std::weak_ptr<RedisConnection> weak = weak_from_this();
  auto refused = [weak](const char* what) {
    return [weak, what](const RedisReply& reply) {
      auto self = weak.lock();
      if (self && reply.is_error()) self->went_down(std::string(what) + ": " + reply.text);
    };
  };
  if (!address.password.empty()) command({"AUTH", address.password}, refused("AUTH was refused"));
  if (address.db != 0) command({"SELECT", std::to_string(address.db)}, refused("SELECT was refused"));
  command({"PING"}, [weak](const RedisReply& reply) {
    auto self = weak.lock();
    if (!self || self->down_) return;
    if (reply.is_error()) return self->went_down(reply.text);
    self->up_ = true;
    self->connect_timer_.cancel();
    if (self->on_up_) self->on_up_();
  });
  connect_timer_.expires_after(std::chrono::milliseconds(connect_timeout_ms));
  connect_timer_.async_wait([weak, connect_timeout_ms](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->up_ || self->down_) return;
    self->went_down("no answer within " + std::to_string(connect_timeout_ms) + " ms");
  });
}

void RedisConnection::on_connect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<RedisConnection*>(context->data);
  if (!self || status == REDIS_OK) return;
  self->context_ = nullptr;  // hiredis frees a context that failed to connect
  self->went_down(context->errstr);
}

void RedisConnection::on_disconnect(const redisAsyncContext* context, int status) {
  auto* self = static_cast<RedisConnection*>(context->data);
  if (!self) return;
  self->context_ = nullptr;  // hiredis frees it after this callback
  self->went_down(status == REDIS_OK ? "disconnected" : context->errstr);
}

// Runs on_down later, outside hiredis's call stack, so that its owner may drop this object.
void RedisConnection::went_down(const std::string& why) {
  if (down_) return;
  down_ = true;
  up_ = false;
  connect_timer_.cancel();
  if (on_down_) asio::post(io_, [down = std::move(on_down_), why] { down(why); });
}

void RedisConnection::command(const std::vector<std::string>& args, Callback done) {
  if (!context_ || down_) {
    if (done) asio::post(io_, [done = std::move(done)] { done(RedisReply::disconnected()); });
    return;
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const auto& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  auto* held = new Callback(std::move(done));
  if (redisAsyncCommandArgv(context_, &command_done, held, static_cast<int>(args.size()), argv.data(),
                            lengths.data()) != REDIS_OK) {
    std::unique_ptr<Callback> owned(held);
    if (*owned) asio::post(io_, [done = std::move(*owned)] { done(RedisReply::disconnected()); });
  }
}

void RedisConnection::subscribe(const std::string& channel, std::function<void(std::string)> on_message,
                                std::function<void()> on_subscribed) {
  if (!context_ || down_) return;
  on_message_ = std::move(on_message);
  on_subscribed_ = std::move(on_subscribed);
  const char* argv[] = {"SUBSCRIBE", channel.data()};
  const std::size_t lengths[] = {9, channel.size()};
  redisAsyncCommandArgv(
      context_,
      [](redisAsyncContext* context, void* raw, void*) {
        auto* reply = static_cast<redisReply*>(raw);
        auto* self = static_cast<RedisConnection*>(context->data);
        if (!self || !reply) return;
        if (reply->type == REDIS_REPLY_ERROR) {
          return self->went_down("SUBSCRIBE was refused: " + std::string(reply->str, reply->len));
        }
        if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 3) return;
        const redisReply* kind = reply->element[0];
        if (kind->type != REDIS_REPLY_STRING) return;
        const std::string_view what(kind->str, kind->len);
        if (what == "subscribe") {
          if (auto subscribed = std::move(self->on_subscribed_)) subscribed();
          return;
        }
        const redisReply* payload = reply->element[2];
        if (what != "message" || payload->type != REDIS_REPLY_STRING || !self->on_message_) return;
        self->on_message_(std::string(payload->str, payload->len));
      },
      nullptr, 2, argv, lengths);
}

void RedisConnection::close() {
  down_ = true;
  up_ = false;
  on_down_ = nullptr;
  connect_timer_.cancel();
  if (!context_) return;
  redisAsyncContext* context = context_;
  context_ = nullptr;
  context->data = nullptr;
  redisAsyncFree(context);
}

}  // namespace actionhost
