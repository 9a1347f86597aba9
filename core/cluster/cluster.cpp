#include "cluster/cluster.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>

#include <boost/asio/post.hpp>

#include "util/clock.hpp"
#include "util/uuid.hpp"

namespace actionhost {

namespace asio = boost::asio;
using namespace cluster_keys;

namespace {

constexpr int kConnectTimeoutMs = 2000;
constexpr std::int64_t kMaxBackoffMs = 2000;  // SPEC §9: at most 2 s between tries
constexpr auto kCallTimeout = std::chrono::seconds(2);
constexpr auto kAskTimeout = std::chrono::seconds(5);  // SPEC §9: an RPC gives up after 5 s

// Refreshes this server's presence key; 1 when it had expired (or never existed), so that
// the caller re-registers its members, which another server's sweep may have removed.
// KEYS: presence key, servers set. ARGV: server id, TTL ms.
constexpr const char* kRefreshScript = R"lua(
local fresh = redis.call('EXISTS', KEYS[1]) == 0
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
if fresh then return 1 end
return 0
)lua";

// Removes from every room the members of actionhost servers whose presence key is gone
// (and of ARGV[3], a server leaving, unconditionally), and forgets those servers. Members
// whose host never registered presence (actionhero servers) are never touched. Returns
// {live servers, dead id...}.
// KEYS: servers set, rooms set. ARGV: presence prefix, members prefix, leaving id or "".
constexpr const char* kSweepScript = R"lua(
local live, dead = 0, {}
if ARGV[3] ~= '' then table.insert(dead, ARGV[3]) end
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if id ~= ARGV[3] then
    if redis.call('EXISTS', ARGV[1] .. id) == 1 then live = live + 1 else table.insert(dead, id) end
  end
end
if #dead > 0 then
  local gone = {}
  for _, id in ipairs(dead) do gone[id] = true; redis.call('SREM', KEYS[1], id) end
  for _, room in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    local key = ARGV[2] .. room
    local fields = redis.call('HGETALL', key)
    for i = 1, #fields, 2 do
      local ok, member = pcall(cjson.decode, fields[i + 1])
      if ok and type(member) == 'table' and member.host and gone[member.host] then redis.call('HDEL', key, fields[i]) end
    end
  end
end
local result = {live}
for _, id in ipairs(dead) do if id ~= ARGV[3] then table.insert(result, id) end end
return result
)lua";

bool is_room_method(const std::string& method) {
  return method == "api.chatRoom.addMember" || method == "api.chatRoom.removeMember";
}

}  // namespace

Cluster::Cluster(ClusterSettings settings, Handlers handlers, asio::any_io_executor work)
    : settings_(std::move(settings)),
      handlers_(std::move(handlers)),
      work_(asio::make_strand(std::move(work))),
      guard_(io_.get_executor()),
      reconnect_timer_(io_),
      presence_timer_(io_),
      sweep_timer_(io_) {}

Cluster::~Cluster() { stop(0); }

void Cluster::start() {
  if (thread_.joinable()) return;
  asio::post(io_, [this] { connect(); });
  thread_ = std::thread([this] { io_.run(); });
}

void Cluster::stop(int wait_ms) {
  if (!thread_.joinable()) return;
  auto left = std::make_shared<std::promise<void>>();
  auto leaving = left->get_future();
  asio::post(io_, [this, left] {
    stopping_ = true;
    reconnect_timer_.cancel();
    presence_timer_.cancel();
    sweep_timer_.cancel();
    if (!up_ || !commands_) return left->set_value();
    commands_->command({"DEL", kPresencePrefix + settings_.server_id});
    commands_->command(
        {"EVAL", kSweepScript, "2", kServers, kRooms, kPresencePrefix, kMembersPrefix, settings_.server_id},
        [left](const RedisReply&) { left->set_value(); });
  });
  if (leaving.wait_for(std::chrono::milliseconds(wait_ms)) != std::future_status::ready && wait_ms > 0) {
    spdlog::warn("cluster: Redis did not confirm this server's leaving within {} ms", wait_ms);
  }
  asio::post(io_, [this] {
    up_ = false;
    asked_.clear();
    if (commands_) commands_->close();
    if (subscribed_) subscribed_->close();
    commands_.reset();
    subscribed_.reset();
    io_.stop();
  });
  guard_.reset();
  thread_.join();
}

void Cluster::remember_room(const std::string& room) {
  std::lock_guard lock(rooms_mutex_);
  rooms_.insert(room);
}

// ----------------------------------------------------------------- connection state --

void Cluster::connect() {
  const std::uint64_t generation = ++generation_;
  auto on_up = [this, generation] {
    if (generation != generation_ || stopping_) return;
    if (commands_ && commands_->up() && subscribed_ && subscribed_->up()) connected();
  };
  auto on_down = [this, generation](const std::string& why) { lost(generation, why); };
  commands_ = RedisConnection::open(io_, settings_.redis, kConnectTimeoutMs, on_up, on_down);
  subscribed_ = RedisConnection::open(io_, settings_.redis, kConnectTimeoutMs, on_up, on_down);
}

void Cluster::connected() {
  subscribed_->subscribe(
      settings_.channel, [this](std::string text) { received(text); },
      [this, generation = generation_] {
        if (generation == generation_ && !stopping_) subscribed();
      });
}

// Up only once the subscription is confirmed: a say answered from now on comes back here too.
void Cluster::subscribed() {
  up_ = true;
  spdlog::info("cluster: {} redis {} (channel {}, server id {})", ever_up_ ? "reconnected to" : "connected to",
               settings_.redis.text(), settings_.channel, settings_.server_id);
  if (!ever_up_) {
    // Members a previous process with this server id left behind (a crash under the
    // supervisor, which keeps server.id): they are not this process's.
    commands_->command(
        {"EVAL", kSweepScript, "2", kServers, kRooms, kPresencePrefix, kMembersPrefix, settings_.server_id});
  }
  ever_up_ = true;
  ever_refreshed_ = false;
  refresh_pending_ = false;
  restore();
  refresh_presence();
  sweep();
}

void Cluster::lost(std::uint64_t generation, const std::string& why) {
  if (generation != generation_ || stopping_) return;
  ++generation_;  // the other connection of the pair going down too is the same event
  // Down before it is said: whoever reads the line then sees the cluster down.
  if (up_.exchange(false)) {
    spdlog::warn("cluster: lost redis {}: {}; chat and the cache answer \"the cluster is unavailable\" "
                 "until it is back; reconnecting",
                 settings_.redis.text(), why);
  } else if (backoff_ms_ == 0) {
    spdlog::warn("cluster: cannot reach redis {}: {}; actions are served, chat and the cache answer \"the "
                 "cluster is unavailable\"; retrying at least every 2 s",
                 settings_.redis.text(), why);
  }
  presence_timer_.cancel();
  sweep_timer_.cancel();
  if (commands_) commands_->close();
  if (subscribed_) subscribed_->close();
  commands_.reset();
  subscribed_.reset();
  backoff_ms_ = std::min(kMaxBackoffMs, backoff_ms_ == 0 ? 100 : backoff_ms_ * 2);
  reconnect_timer_.expires_after(std::chrono::milliseconds(backoff_ms_));
  reconnect_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec && !stopping_) connect();
  });
}

// Re-creates the rooms this server knows and re-registers its members: a Redis that
// restarted empty, or a sweep that took this server for dead, has lost them.
void Cluster::restore() {
  std::vector<std::string> add_rooms{"SADD", kRooms};
  {
    std::lock_guard lock(rooms_mutex_);
    add_rooms.insert(add_rooms.end(), rooms_.begin(), rooms_.end());
  }
  if (add_rooms.size() > 2) commands_->command(add_rooms, nullptr);
  for (const auto& [room, id] : unremoved_) commands_->command({"HDEL", members_key(room), id}, nullptr);
  unremoved_.clear();
  if (!handlers_.local_members) return;
  // The members are the server's to read: ask for them on the work executor.
  asio::post(work_, [this] {
    auto members = handlers_.local_members();
    if (members.empty()) return;
    asio::post(io_, [this, members = std::move(members)] {
      if (!up_ || !commands_) return;
      std::map<std::string, std::vector<std::string>> by_room;
      for (const auto& [room, id, joined_at] : members) {
        auto& args = by_room[room];
        if (args.empty()) args = {"HSET", members_key(room)};
        args.push_back(id);
        args.push_back(cluster::member_value(id, joined_at, settings_.server_id));
      }
      for (auto& [room, args] : by_room) {
        std::vector<std::string> ids;
        for (std::size_t i = 2; i < args.size(); i += 2) ids.push_back(args[i]);
        commands_->command(args, [this, room = room, ids = std::move(ids)](const RedisReply&) {
          if (!handlers_.holds) return;
          asio::post(work_, [this, room, ids] {
            for (const auto& id : ids) {
              if (!handlers_.holds(room, id)) remove_member(room, id);  // it left meanwhile
            }
          });
        });
      }
      spdlog::info("cluster: registered {} member(s) of this server in {} room(s)", members.size(),
                   by_room.size());
    });
  });
}

void Cluster::schedule(asio::steady_timer& timer, std::int64_t ms, void (Cluster::*what)()) {
  timer.expires_after(std::chrono::milliseconds(std::max<std::int64_t>(ms, 10)));
  timer.async_wait([this, what](const boost::system::error_code& ec) {
    if (!ec && up_ && !stopping_) (this->*what)();
  });
}

void Cluster::refresh_presence() {
  if (refresh_pending_) {
    // The last refresh, sent a third of the TTL ago, is still unanswered: the link is dead
    // without having said so (a partition drops no connection). Others will sweep us soon.
    lost(generation_, "Redis did not answer for " + std::to_string(settings_.presence_ttl_ms / 3) + " ms");
    return;
  }
  refresh_pending_ = true;
  commands_->command({"EVAL", kRefreshScript, "2", kPresencePrefix + settings_.server_id, kServers,
                      settings_.server_id, std::to_string(settings_.presence_ttl_ms)},
                     [this](const RedisReply& reply) {
                       refresh_pending_ = false;
                       if (!reply.is_error()) backoff_ms_ = 0;  // stable: the next loss retries fast
                       if (reply.type == RedisReply::Type::integer && reply.integer == 1 && ever_refreshed_) {
                         spdlog::warn("cluster: this server's presence had expired in Redis (it was taken for "
                                      "dead); re-registering its members");
                         restore();
                       }
                       if (!reply.is_error()) ever_refreshed_ = true;
                     });
  schedule(presence_timer_, settings_.presence_ttl_ms / 3, &Cluster::refresh_presence);
}

void Cluster::sweep() {
  commands_->command({"EVAL", kSweepScript, "2", kServers, kRooms, kPresencePrefix, kMembersPrefix, ""},
                     [this](const RedisReply& reply) {
                       if (reply.type != RedisReply::Type::array || reply.elements.empty()) {
                         if (reply.is_error() && !reply.is_disconnected()) {
                           spdlog::warn("cluster: the presence sweep failed: {}", reply.text);
                         }
                         return;
                       }
                       servers_ = static_cast<int>(reply.elements[0].integer);
                       for (std::size_t i = 1; i < reply.elements.size(); ++i) {
                         spdlog::warn("cluster: server {} stopped refreshing its presence: its members "
                                      "were removed from every room",
                                      reply.elements[i].text);
                       }
                     });
  schedule(sweep_timer_, settings_.presence_ttl_ms / 2, &Cluster::sweep);
}

// ---------------------------------------------------------------------- messages --

void Cluster::received(const std::string& text) {
  auto incoming = cluster::read_message(text, settings_.token);
  if (!incoming) {
    spdlog::debug("cluster: ignored a message that is not JSON or has another token");
    return;
  }
  switch (incoming->type) {
    case cluster::Incoming::Type::chat:
      if (handlers_.chat) {
        asio::post(work_, [this, message = std::move(*incoming)] { handlers_.chat(message); });
      }
      break;
    case cluster::Incoming::Type::call:
      if (!is_room_method(incoming->method) || !handlers_.call) break;
      asio::post(work_, [this, message = std::move(*incoming)] {
        handlers_.call(message, [this, id = message.message_id](const std::string* error) {
          publish(cluster::do_response(sender(), id, error));
        });
      });
      break;
    case cluster::Incoming::Type::response: {
      auto it = asked_.find(incoming->message_id);
      if (it == asked_.end()) break;  // another server's call
      asked_.erase(it);
      if (incoming->error) {
        spdlog::warn("cluster: server {} refused a room change: {}", incoming->server_id, *incoming->error);
      }
      break;
    }
    case cluster::Incoming::Type::other:
      break;
  }
}

// ---------------------------------------------------------------------- commands --

void Cluster::command(std::vector<std::string> args, std::function<void(const RedisReply&)> done) {
  asio::post(io_, [this, args = std::move(args), done = std::move(done)]() mutable {
    if (!up_ || !commands_) {
      if (done) done(RedisReply::disconnected());
      return;
    }
    commands_->command(args, std::move(done));
  });
}

Result<RedisReply> Cluster::call(std::vector<std::string> args) {
  if (io_.get_executor().running_in_this_thread()) {
    spdlog::error("cluster: a synchronous Redis call on the cluster's own thread was refused (it would wait "
                  "for itself)");
    return Problem::unavailable();
  }
  if (!up_) return Problem::unavailable();
  auto answered = std::make_shared<std::promise<RedisReply>>();
  auto reply = answered->get_future();
  command(std::move(args), [answered](const RedisReply& got) { answered->set_value(got); });
  if (reply.wait_for(kCallTimeout) != std::future_status::ready) return Problem::unavailable();
  RedisReply got = reply.get();
  if (got.is_disconnected()) return Problem::unavailable();
  return got;
}

void Cluster::publish(std::string message, std::function<void(const RedisReply&)> done) {
  command({"PUBLISH", settings_.channel, std::move(message)}, std::move(done));
}

void Cluster::add_member(const std::string& room, const std::string& id, std::int64_t joined_at,
                         std::function<void()> done) {
  command({"HSET", members_key(room), id, cluster::member_value(id, joined_at, settings_.server_id)},
          [done = std::move(done)](const RedisReply&) {
            if (done) done();
          });
}

void Cluster::remove_member(const std::string& room, const std::string& id, std::function<void()> done) {
  command({"HDEL", members_key(room), id}, [this, room, id, done = std::move(done)](const RedisReply& reply) {
    if (reply.is_disconnected()) unremoved_.insert({room, id});
    if (done) done();
  });
}

void Cluster::ask(const std::string& method, const std::string& connection_id, const std::string& room) {
  const std::string id = make_uuid_v4();
  publish(cluster::do_message(sender(), id, method, connection_id, room));
  asio::post(io_, [this, id, method, connection_id] {
    auto timer = std::make_unique<asio::steady_timer>(io_, kAskTimeout);
    timer->async_wait([this, id, method, connection_id](const boost::system::error_code& ec) {
      if (ec || !asked_.erase(id)) return;
      spdlog::warn("cluster: no server answered {} for connection {} within 5 s; gave up", method,
                   connection_id);
    });
    asked_[id] = std::move(timer);
  });
}

}  // namespace actionhost
