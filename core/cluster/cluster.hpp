#pragma once
// This server as one node of a cluster that shares rooms, chat and the cache through Redis,
// laid out as actionhero 20 lays them out (SPEC §9).
//
// The node runs its own thread with its own io_context, on which two Redis connections live
// (one for commands, one subscribed to the channel); nothing here runs on, or blocks, an I/O
// thread. What arrives from other servers (chat, RPC calls) is handed to the work executor
// the server gives, in the order it arrived.
//
// It keeps itself alive in Redis: a presence key refreshed with a TTL, a sweep that removes
// the members of servers whose key expired, and on every (re)connection it re-creates the
// rooms it knows and re-registers its members. When Redis cannot be reached, up() is false
// and callers answer "the cluster is unavailable"; it reconnects with backoff (at most 2 s).

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "cluster/cluster_messages.hpp"
#include "cluster/redis_connection.hpp"
#include "cluster/redis_url.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

struct ClusterSettings {
  RedisAddress redis;
  std::string token;
  std::string channel = "actionhero";
  std::int64_t presence_ttl_ms = 10000;
  std::string server_id;
};

// Redis keys, as actionhero 20 names them (SPEC §9), and the presence keys of actionhost.
namespace cluster_keys {
inline const std::string kRooms = "actionhero:chatRoom:rooms";
inline const std::string kMembersPrefix = "actionhero:chatRoom:members:";
inline const std::string kCachePrefix = "actionhero:cache:";
inline const std::string kPresencePrefix = "actionhost:presence:";  // + server id, with a TTL
inline const std::string kServers = "actionhost:servers";           // ids that registered presence
inline std::string members_key(std::string_view room) { return kMembersPrefix + std::string(room); }
}  // namespace cluster_keys

class Cluster {
 public:
  // What the node asks of the server. Each runs on the work executor, in arrival order.
  struct Handlers {
    // A chat message for `room`: deliver it to this server's members.
    std::function<void(const cluster::Incoming&)> chat;
    // An RPC call (method api.chatRoom.addMember / removeMember) for a connection: run it
    // if the connection is here (then `respond` with nullptr or an error message), else
    // do nothing.
    std::function<void(const cluster::Incoming&, std::function<void(const std::string* error)> respond)> call;
    // After each (re)connection: this server's members, as {room, id, joinedAt} triples.
    std::function<std::vector<std::tuple<std::string, std::string, std::int64_t>>()> local_members;
    // Whether `id` is still this server's member of `room` (once re-registered: one that
    // left meanwhile is removed again).
    std::function<bool(const std::string& room, const std::string& id)> holds;
  };

  Cluster(ClusterSettings settings, Handlers handlers, boost::asio::any_io_executor work);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  // Starts the thread and connects; returns at once (Redis may be down: it keeps trying).
  void start();
  // A graceful leave: removes this server's members and presence from Redis (waiting at
  // most `wait_ms`), then disconnects and joins the thread.
  void stop(int wait_ms = 1000);

  bool up() const { return up_.load(); }
  // actionhost servers with a live presence key, this one included (as of the last sweep).
  int servers() const { return servers_.load(); }
  const ClusterSettings& settings() const { return settings_; }
  cluster::Sender sender() const { return {settings_.server_id, settings_.token}; }

  // A room this server knows (a starting room, or one its plugins created): re-created in
  // Redis on every reconnection.
  void remember_room(const std::string& room);

  // Sends a command; `done` runs on the cluster's thread with the reply (an error reply
  // when Redis is down). Any thread.
  void command(std::vector<std::string> args, std::function<void(const RedisReply&)> done = nullptr);
  // Sends a command and waits for its reply (at most 2 s): for the host services, which
  // the plugin ABI makes synchronous. unavailable when Redis is down, the wait times out, or
  // the caller is the cluster's own thread. Any other thread.
  Result<RedisReply> call(std::vector<std::string> args);
  void publish(std::string message, std::function<void(const RedisReply&)> done = nullptr);
  // This server's member `id` joined / left `room` (HSET / HDEL of the members hash);
  // `done`, if any, runs on the cluster's thread once Redis answered (or the link dropped).
  // A removal that Redis did not get is made on the next reconnection.
  void add_member(const std::string& room, const std::string& id, std::int64_t joined_at,
                  std::function<void()> done = nullptr);
  void remove_member(const std::string& room, const std::string& id, std::function<void()> done = nullptr);
  // Asks, actionhero's way, the server holding `connection_id` to add it to or remove it
  // from `room`; logs the outcome, and gives up after 5 s.
  void ask(const std::string& method, const std::string& connection_id, const std::string& room);

 private:
  void connect();
  void connected();
  void subscribed();
  void lost(std::uint64_t generation, const std::string& why);
  void restore();
  void refresh_presence();
  void sweep();
  void received(const std::string& text);
  void schedule(boost::asio::steady_timer& timer, std::int64_t ms, void (Cluster::*what)());

  const ClusterSettings settings_;
  const Handlers handlers_;
  boost::asio::strand<boost::asio::any_io_executor> work_;

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  std::thread thread_;
  std::shared_ptr<RedisConnection> commands_;
  std::shared_ptr<RedisConnection> subscribed_;
  std::uint64_t generation_ = 0;  // of the connection pair; a stale pair's events are ignored
  std::int64_t backoff_ms_ = 0;
  bool ever_up_ = false;
  bool ever_refreshed_ = false;   // since the last connection
  bool refresh_pending_ = false;  // a presence refresh Redis has not answered yet
  bool stopping_ = false;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::steady_timer presence_timer_;
  boost::asio::steady_timer sweep_timer_;
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> asked_;
  std::set<std::pair<std::string, std::string>>
      unremoved_;  // {room, id} HDELs Redis never got  // RPC out, by messageId

  std::atomic<bool> up_{false};
  std::atomic<int> servers_{0};
  std::mutex rooms_mutex_;
  std::set<std::string> rooms_;
};

}  // namespace actionhost
