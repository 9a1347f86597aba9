#include "actions/chat.hpp"

#include <spdlog/spdlog.h>

#include "actions/hook_runner.hpp"
#include "protocol/answers.hpp"

namespace actionhost::chat {
namespace {

Result<> run_room_hooks(const ActionSet& set, HookKind kind, Peer& peer, std::string_view room) {
  const HookList& hooks = set.hooks(kind);
  if (hooks.empty()) return {};
  FieldHookCall call(Json{{"room", room}}, {}, &peer);
  return run_hooks(hooks, call);
}

// The room exists and `peer_id` is in it; else the verbs' errors.
Result<> check_member(const RoomRegistry& rooms, std::string_view room, const std::string& peer_id) {
  if (!rooms.exists(room)) return Problem::not_found("room does not exist");
  if (!rooms.is_member(room, peer_id)) {
    return Problem::conflict("connection not in this room (" + std::string(room) + ")");
  }
  return {};
}

}  // namespace

Result<> join(RoomRegistry& rooms, const ActionSet& set, const std::shared_ptr<Peer>& peer,
              std::string_view room, std::int64_t now_ms) {
  if (!rooms.exists(room)) return Problem::not_found("room does not exist");
  if (rooms.is_member(room, peer->peer_id())) {
    return Problem::conflict("connection already in this room (" + std::string(room) + ")");
  }
  if (auto allowed = run_room_hooks(set, HookKind::chat_join, *peer, room); !allowed) return allowed;
  return rooms.join(room, peer, now_ms);
}

Result<> leave(RoomRegistry& rooms, const ActionSet& set, Peer& peer, std::string_view room) {
  if (auto member = check_member(rooms, room, peer.peer_id()); !member) return member;
  if (auto allowed = run_room_hooks(set, HookKind::chat_leave, peer, room); !allowed) return allowed;
  return rooms.leave(room, peer.peer_id());
}

void close(RoomRegistry& rooms, const ActionSet& set, Peer& peer, std::string_view reason) {
  if (!set.hooks(HookKind::chat_leave).empty()) {
    for (const auto& room : rooms.rooms_of(peer.peer_id())) {
      if (auto allowed = run_room_hooks(set, HookKind::chat_leave, peer, room); !allowed) {
        spdlog::debug("a leave hook denied {} leaving {} at its close: it leaves anyway", peer.peer_id(), room);
      }
    }
  }
  rooms.leave_all(peer.peer_id());
  const HookList& hooks = set.hooks(HookKind::connection_close);
  if (hooks.empty()) return;
  FieldHookCall call(Json{{"reason", reason}}, {}, &peer);
  static_cast<void>(run_hooks(hooks, call));
}

void open(const ActionSet& set, Peer& peer) {
  const HookList& hooks = set.hooks(HookKind::connection_open);
  if (hooks.empty()) return;
  FieldHookCall call(Json::object(), {}, &peer);
  static_cast<void>(run_hooks(hooks, call));
}

Result<std::string> approve_say(RoomRegistry& rooms, const ActionSet& set, Peer& sender, std::string_view room,
                                std::string_view message) {
  if (auto member = check_member(rooms, room, sender.peer_id()); !member) return std::move(member).problem();
  const HookList& hooks = set.hooks(HookKind::chat_say);
  if (hooks.empty()) return std::string(message);
  FieldHookCall call(Json{{"room", room}, {"message", message}}, {"message"}, &sender);
  if (auto allowed = run_hooks(hooks, call); !allowed) return std::move(allowed).problem();
  return call.fields()["message"].get<std::string>();
}

Result<> say(RoomRegistry& rooms, const ActionSet& set, Peer& sender, std::string_view room,
             std::string_view message, std::int64_t now_ms) {
  if (set.hooks(HookKind::chat_say).empty()) {  // the common case, without a copy of the message
    if (auto member = check_member(rooms, room, sender.peer_id()); !member) return member;
    return deliver(rooms, set, room, message, sender.peer_id(), now_ms);
  }
  auto approved = approve_say(rooms, set, sender, room, message);
  if (!approved) return std::move(approved).problem();
  return deliver(rooms, set, room, *approved, sender.peer_id(), now_ms);
}

Result<> deliver(RoomRegistry& rooms, const ActionSet& set, std::string_view room, std::string_view message,
                 const Json& from, std::int64_t now_ms) {
  const HookList& hooks = set.hooks(HookKind::chat_deliver);
  if (hooks.empty()) {
    if (!rooms.broadcast(room, share_bytes(answers::say(room, message, from, now_ms)))) {
      return Problem::not_found("room does not exist");
    }
    return {};
  }
  auto members = rooms.members(room);
  if (!members) return Problem::not_found("room does not exist");
  auto unchanged = share_bytes(answers::say(room, message, from, now_ms));
  // One call for every recipient: its message is put back when a hook changed it.
  FieldHookCall call(Json{{"room", room}, {"message", message}, {"from", from}}, {"message"}, nullptr);
  Json& text = call.fields()["message"];
  for (const auto& member : **members) {
    call.set_connection(member.peer.get());
    if (run_hooks(hooks, call)) {  // else dropped for this recipient
      const auto& changed = text.get_ref<const std::string&>();
      member.peer->deliver(changed == message ? unchanged
                                              : share_bytes(answers::say(room, changed, from, now_ms)));
    }
    if (!text.is_string() || text.get_ref<const std::string&>() != message) text = message;
  }
  return {};
}

Json member_record(const ActionSet& set, std::string_view room, const RoomRegistry::Member& member) {
  Json record = {{"id", member.peer->peer_id()}, {"joinedAt", member.joined_at}};
  const HookList& hooks = set.hooks(HookKind::chat_member);
  if (hooks.empty()) return record;
  FieldHookCall call(Json{{"room", room}, {"id", record["id"]}, {"joinedAt", member.joined_at}}, {},
                     member.peer.get(), true);
  static_cast<void>(run_hooks(hooks, call));
  for (const auto& [key, value] : call.added().items()) record[key] = value;
  return record;
}

}  // namespace actionhost::chat
