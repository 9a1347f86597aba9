#include "services/chat_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <boost/asio/post.hpp>

#include "actions/chat.hpp"
#include "util/clock.hpp"

namespace actionhost {

namespace asio = boost::asio;
using namespace cluster_keys;

namespace {

Problem not_in_room(const std::string& room) {
  return Problem::conflict("connection not in this room (" + room + ")");
}

Result<Json> answered(const Result<>& result, Json data) {
  if (!result) return result.problem();
  return data;
}

// The members hash's fields and values as {id, joinedAt} records, oldest first.
std::vector<std::pair<std::string, std::int64_t>> members_of(const RedisReply& hash) {
  std::vector<std::pair<std::string, std::int64_t>> members;
  for (std::size_t i = 0; i + 1 < hash.elements.size(); i += 2) {
    Json value = Json::parse(hash.elements[i + 1].text, nullptr, false);
    std::int64_t joined_at = 0;
    if (value.is_object() && value.contains("joinedAt") && value["joinedAt"].is_number()) {
      joined_at = value["joinedAt"].get<std::int64_t>();
    }
    members.emplace_back(hash.elements[i].text, joined_at);
  }
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
    return std::tie(a.second, a.first) < std::tie(b.second, b.first);
  });
  return members;
}

}  // namespace

// ------------------------------------------------------------------------ helpers --

void ChatService::if_room_exists(const std::string& room, Done done, std::function<void(Done)> then) {
  cluster_->command({"SISMEMBER", kRooms, room}, [this, done = std::move(done),
                                                  then = std::move(then)](const RedisReply& reply) mutable {
    if (reply.is_error()) return done(Problem::unavailable());
    if (reply.integer == 0) return done(Problem::not_found("room does not exist"));
    asio::post(work_, [done = std::move(done), then = std::move(then)]() mutable { then(std::move(done)); });
  });
}

Result<> ChatService::room_exists_now(const std::string& room) {
  auto reply = cluster_->call({"SISMEMBER", kRooms, room});
  if (!reply) return std::move(reply).problem();
  if (reply->is_error()) return Problem::unavailable();
  if (reply->integer == 0) return Problem::not_found("room does not exist");
  return {};
}

void ChatService::store_member(const std::string& room, const std::string& id, std::int64_t joined_at,
                               std::function<void()> done) {
  cluster_->add_member(room, id, joined_at, [this, room, id, done = std::move(done)] {
    if (!connections_.find(id)) {  // it closed while it was joining
      static_cast<void>(rooms_.leave(room, id));
      cluster_->remove_member(room, id);
    }
    if (done) done();
  });
}

Result<> ChatService::room_here(const std::string& room) {
  auto created = rooms_.create(room);
  if (!created && created.problem().kind == Problem::Kind::conflict) return {};  // it was here
  return created;
}

void ChatService::join_here(const std::shared_ptr<Peer>& peer, const std::string& room, Done done) {
  if (!connections_.find(peer->peer_id())) return done(Problem::not_found("the connection closed"));
  if (auto here = room_here(room); !here) return done(std::move(here).problem());
  const std::int64_t now = now_ms();
  auto joined = chat::join(rooms_, *actions_.current(), peer, room, now);
  if (!joined) return done(std::move(joined).problem());
  store_member(room, peer->peer_id(), now, [done = std::move(done)] { done(Json(true)); });
}

void ChatService::leave_here(const std::shared_ptr<Peer>& peer, const std::string& room, Done done) {
  auto left = chat::leave(rooms_, *actions_.current(), *peer, room);
  if (!left) return done(std::move(left).problem());
  cluster_->remove_member(room, peer->peer_id(), [done = std::move(done)] { done(Json(true)); });
}

// -------------------------------------------------------------------------- verbs --

void ChatService::join(const std::shared_ptr<Peer>& peer, const std::string& room, Done done) {
  if (!cluster_) return done(answered(chat::join(rooms_, *actions_.current(), peer, room, now_ms()), true));
  if (!cluster_->up()) return done(Problem::unavailable());
  if_room_exists(room, std::move(done),
                 [this, peer, room](Done then) { join_here(peer, room, std::move(then)); });
}

void ChatService::leave(const std::shared_ptr<Peer>& peer, const std::string& room, Done done) {
  if (!cluster_) return done(answered(chat::leave(rooms_, *actions_.current(), *peer, room), true));
  if (!cluster_->up()) return done(Problem::unavailable());
  if (rooms_.is_member(room, peer->peer_id())) return leave_here(peer, room, std::move(done));
  if_room_exists(room, std::move(done), [room](Done then) { then(not_in_room(room)); });
}

void ChatService::view(const std::shared_ptr<Peer>& peer, const std::string& room, Done done) {
  if (!cluster_) {
    auto members = rooms_.members(room);
    if (!members) return done(Problem::invalid("room does not exist"));
    if (!rooms_.is_member(room, peer->peer_id())) return done(Problem::invalid("not member of room " + room));
    Json listed = Json::object();
    auto set = actions_.current();
    for (const auto& member : **members)
      listed[member.peer->peer_id()] = chat::member_record(*set, room, member);
    return done(Json{{"room", room}, {"members", std::move(listed)}, {"membersCount", (*members)->size()}});
  }
  if (!cluster_->up()) return done(Problem::unavailable());
  if (!rooms_.is_member(room, peer->peer_id())) {
    return if_room_exists(room, std::move(done),
                          [room](Done then) { then(Problem::invalid("not member of room " + room)); });
  }
  cluster_->command(
      {"HGETALL", members_key(room)}, [this, room, done = std::move(done)](const RedisReply& reply) {
        if (reply.is_error()) return done(Problem::unavailable());
        // Member hooks run plugin code: on the work executor, not the cluster's thread.
        asio::post(work_, [this, room, members = members_of(reply), done] {
          Json listed = Json::object();
          auto set = actions_.current();
          for (const auto& [id, joined_at] : members) {
            auto member = connections_.find(id);
            listed[id] = member ? chat::member_record(*set, room, {member, joined_at})
                                : Json{{"id", id}, {"joinedAt", joined_at}};
          }
          done(Json{{"room", room}, {"members", std::move(listed)}, {"membersCount", members.size()}});
        });
      });
}

void ChatService::say(const std::shared_ptr<Peer>& peer, const std::string& room, const std::string& message,
                      Done done) {
  if (!cluster_)
    return done(answered(chat::say(rooms_, *actions_.current(), *peer, room, message, now_ms()), nullptr));
  if (!cluster_->up()) return done(Problem::unavailable());
  if (!rooms_.is_member(room, peer->peer_id())) {
    return if_room_exists(room, std::move(done), [room](Done then) { then(not_in_room(room)); });
  }
  auto approved = chat::approve_say(rooms_, *actions_.current(), *peer, room, message);
  if (!approved) return done(std::move(approved).problem());
  // Delivered here too only when it comes back from Redis, so every member of every server
  // sees one order.
  cluster_->publish(cluster::chat_message(cluster_->sender(), room, *approved, peer->peer_id(), now_ms()),
                    [done = std::move(done)](const RedisReply& reply) {
                      done(reply.is_error() ? Result<Json>(Problem::unavailable())
                                            : Result<Json>(Json(nullptr)));
                    });
}

// ---------------------------------------------------------------- connection life --

bool ChatService::join_default(const std::shared_ptr<Peer>& peer, const std::string& room) {
  const std::int64_t now = now_ms();
  if (!chat::join(rooms_, *actions_.current(), peer, room, now)) return false;
  if (cluster_) store_member(room, peer->peer_id(), now);
  return true;
}

void ChatService::open(Peer& peer) { chat::open(*actions_.current(), peer); }

void ChatService::close(Peer& peer, std::string_view reason) {
  std::vector<std::string> rooms;
  if (cluster_) rooms = rooms_.rooms_of(peer.peer_id());
  chat::close(rooms_, *actions_.current(), peer, reason);
  for (const auto& room : rooms) cluster_->remove_member(room, peer.peer_id());
}

// ------------------------------------------------------------------- plugin calls --

Result<> ChatService::create_room(const std::string& room) {
  auto created = rooms_.create(room);
  if (cluster_ && (created || created.problem().kind == Problem::Kind::conflict)) {
    cluster_->remember_room(room);  // created again on reconnection if Redis is down now
    // Waited for, so that the room exists for every server once the plugin's call returns.
    static_cast<void>(cluster_->call({"SADD", kRooms, room}));
  }
  return created;
}

Result<> ChatService::broadcast(const std::string& room, const std::string& message) {
  if (!cluster_) return chat::deliver(rooms_, *actions_.current(), room, message, 0, now_ms());
  if (!cluster_->up()) return Problem::unavailable();
  if (!rooms_.exists(room)) {
    if (auto exists = room_exists_now(room); !exists) return exists;
  }
  auto sent = cluster_->call({"PUBLISH", cluster_->settings().channel,
                              cluster::chat_message(cluster_->sender(), room, message, 0, now_ms())});
  if (!sent) return std::move(sent).problem();
  return {};
}

Result<> ChatService::add_member(const std::string& connection_id, const std::string& room) {
  auto peer = connections_.find(connection_id);
  if (!cluster_) {
    if (!peer) return Problem::not_found("no such connection");
    return chat::join(rooms_, *actions_.current(), peer, room, now_ms());
  }
  if (!cluster_->up()) return Problem::unavailable();
  if (auto exists = room_exists_now(room); !exists) return exists;
  if (!peer) {
    // Checked here first: an actionhero 20 server that throws while running a call (the
    // connection already in the room) dies of it (Node's unhandled rejection).
    auto member = cluster_->call({"HEXISTS", members_key(room), connection_id});
    if (!member) return std::move(member).problem();
    if (member->integer == 1) return Problem::conflict("connection already in this room (" + room + ")");
    cluster_->ask("api.chatRoom.addMember", connection_id, room);
    return {};
  }
  if (auto here = room_here(room); !here) return here;
  const std::int64_t now = now_ms();
  if (auto joined = chat::join(rooms_, *actions_.current(), peer, room, now); !joined) return joined;
  // Waited for: once the plugin's call returns, every server sees the member.
  static_cast<void>(
      cluster_->call({"HSET", members_key(room), connection_id,
                      cluster::member_value(connection_id, now, cluster_->settings().server_id)}));
  return {};
}

Result<> ChatService::remove_member(const std::string& connection_id, const std::string& room) {
  auto peer = connections_.find(connection_id);
  if (!cluster_) {
    if (!peer) return Problem::not_found("no such connection");
    return chat::leave(rooms_, *actions_.current(), *peer, room);
  }
  if (!cluster_->up()) return Problem::unavailable();
  if (!peer) {
    if (auto exists = room_exists_now(room); !exists) return exists;
    auto member = cluster_->call({"HEXISTS", members_key(room), connection_id});
    if (!member) return std::move(member).problem();
    if (member->integer != 1) return not_in_room(room);  // never ask what would throw (see above)
    cluster_->ask("api.chatRoom.removeMember", connection_id, room);
    return {};
  }
  if (!rooms_.is_member(room, connection_id)) {
    if (auto exists = room_exists_now(room); !exists) return exists;
    return not_in_room(room);
  }
  if (auto left = chat::leave(rooms_, *actions_.current(), *peer, room); !left) return left;
  if (!cluster_->call({"HDEL", members_key(room), connection_id})) {
    cluster_->remove_member(room, connection_id);  // made on reconnection
  }
  return {};
}

Result<Json> ChatService::members(const std::string& room) {
  Json listed = Json::array();
  if (!cluster_) {
    auto members = rooms_.members(room);
    if (!members) return Problem::not_found("room does not exist");
    for (const auto& member : **members) {
      listed.push_back({{"id", member.peer->peer_id()}, {"joinedAt", member.joined_at}});
    }
    return listed;
  }
  auto hash = cluster_->call({"HGETALL", members_key(room)});
  if (!hash) return std::move(hash).problem();
  if (hash->is_error()) return Problem::unavailable();
  if (hash->elements.empty()) {
    if (auto exists = room_exists_now(room); !exists) return std::move(exists).problem();
  }
  for (const auto& [id, joined_at] : members_of(*hash)) listed.push_back({{"id", id}, {"joinedAt", joined_at}});
  return listed;
}

// --------------------------------------------------------------- from the cluster --

void ChatService::deliver(const cluster::Incoming& message) {
  // not_found: the room has no member here.
  static_cast<void>(
      chat::deliver(rooms_, *actions_.current(), message.room, message.message, message.from, message.sent_at));
}

void ChatService::run_call(const cluster::Incoming& call,
                           const std::function<void(const std::string* error)>& respond) {
  auto peer = connections_.find(call.connection_id);
  if (!peer) return;  // another server's connection
  Done done = [respond](Result<Json> result) {
    if (result) return respond(nullptr);
    respond(&result.problem().message);
  };
  if (call.room.empty()) return done(Problem::invalid("a room is required"));
  if (call.method == "api.chatRoom.addMember") {
    if_room_exists(call.room, std::move(done),
                   [this, peer, room = call.room](Done then) { join_here(peer, room, std::move(then)); });
  } else if (rooms_.is_member(call.room, call.connection_id)) {
    leave_here(peer, call.room, std::move(done));
  } else {
    if_room_exists(call.room, std::move(done), [room = call.room](Done then) { then(not_in_room(room)); });
  }
}

bool ChatService::holds(const std::string& room, const std::string& id) const {
  return connections_.find(id) && rooms_.is_member(room, id);
}

std::vector<std::tuple<std::string, std::string, std::int64_t>> ChatService::local_members() const {
  std::vector<std::tuple<std::string, std::string, std::int64_t>> all;
  for (const auto& room : rooms_.names()) {
    auto members = rooms_.members(room);
    if (!members) continue;
    for (const auto& member : **members) all.emplace_back(room, member.peer->peer_id(), member.joined_at);
  }
  return all;
}

}  // namespace actionhost
