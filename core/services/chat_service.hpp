#pragma once
// Chat as clients (verbs) and plugins (host services) use it (SPEC §4.3, §6, §9): rooms,
// joins, leaves, say and roomView, with their hooks. In memory by default; in cluster mode
// room existence and membership live in Redis, and a `say` is delivered when it comes back
// from Redis, on every server alike.
//
// The verbs' calls finish through `done`, which runs exactly once: at once in memory, or
// later on another thread in cluster mode. The plugins' calls are synchronous (the plugin
// ABI is): in cluster mode they wait for Redis on the calling thread, at most 2 s.
// Thread-safe.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "actions/action_registry.hpp"
#include "cluster/cluster.hpp"
#include "cluster/cluster_messages.hpp"
#include "connections/connection_table.hpp"
#include "connections/peer.hpp"
#include "rooms/room_registry.hpp"
#include "util/json.hpp"
#include "util/result.hpp"

namespace actionhost {

class ChatService {
 public:
  using Done = std::function<void(Result<Json>)>;

  ChatService(RoomRegistry& rooms, const ActionRegistry& actions, const ConnectionTable& connections)
      : rooms_(rooms), actions_(actions), connections_(connections) {}

  // Cluster mode from now on; `work` runs the hooks of what the cluster reports.
  void use_cluster(Cluster* cluster, boost::asio::any_io_executor work) {
    cluster_ = cluster;
    work_ = std::move(work);
  }
  Cluster* cluster() const { return cluster_; }

  // ---- the verbs: data true (join, leave), the roomView object, null (say)
  void join(const std::shared_ptr<Peer>& peer, const std::string& room, Done done);
  void leave(const std::shared_ptr<Peer>& peer, const std::string& room, Done done);
  void view(const std::shared_ptr<Peer>& peer, const std::string& room, Done done);
  void say(const std::shared_ptr<Peer>& peer, const std::string& room, const std::string& message, Done done);

  // ---- a connection's life
  // A new connection joins chat.default_room (a starting room) unless a hook denies it.
  bool join_default(const std::shared_ptr<Peer>& peer, const std::string& room);
  void open(Peer& peer);
  // Leave hooks, it leaves every room (here and in Redis), close hooks.
  void close(Peer& peer, std::string_view reason);
  std::vector<std::string> rooms_of(const std::string& peer_id) const { return rooms_.rooms_of(peer_id); }

  // ---- the plugins' calls
  // A conflict Problem when it exists here already; "too many rooms (max N)".
  Result<> create_room(const std::string& room);
  Result<> broadcast(const std::string& room, const std::string& message);
  // A connection of another server is asked through the cluster (the call returns once
  // asked; the outcome is logged, and an id no server holds is given up after 5 s). In
  // memory: not_found "no such connection".
  Result<> add_member(const std::string& connection_id, const std::string& room);
  Result<> remove_member(const std::string& connection_id, const std::string& room);
  // [{"id","joinedAt"}], oldest first.
  Result<Json> members(const std::string& room);

  // ---- what the cluster reports (on the work executor)
  void deliver(const cluster::Incoming& message);
  void run_call(const cluster::Incoming& call, const std::function<void(const std::string* error)>& respond);
  std::vector<std::tuple<std::string, std::string, std::int64_t>> local_members() const;
  // Whether this server still holds `id` as a member of `room` (after a restore).
  bool holds(const std::string& room, const std::string& id) const;

 private:
  // Cluster mode: `then` runs on the work executor if `room` exists in Redis; otherwise
  // `done` gets "room does not exist" (or "the cluster is unavailable").
  void if_room_exists(const std::string& room, Done done, std::function<void(Done)> then);
  // Cluster mode, synchronous: the same check.
  Result<> room_exists_now(const std::string& room);
  // The room in this server's registry too (it may exist only in Redis so far).
  Result<> room_here(const std::string& room);
  // Joins locally (creating the room here if only Redis had it), then in Redis.
  void join_here(const std::shared_ptr<Peer>& peer, const std::string& room, Done done);
  void leave_here(const std::shared_ptr<Peer>& peer, const std::string& room, Done done);
  // HSET of this server's member; once Redis has it, undone (here and there) if the
  // connection closed meanwhile, so that no closed connection stays a member.
  void store_member(const std::string& room, const std::string& id, std::int64_t joined_at,
                    std::function<void()> done = nullptr);

  RoomRegistry& rooms_;
  const ActionRegistry& actions_;
  const ConnectionTable& connections_;
  Cluster* cluster_ = nullptr;
  boost::asio::any_io_executor work_;
};

}  // namespace actionhost
