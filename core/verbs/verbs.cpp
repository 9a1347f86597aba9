#include "verbs/verbs.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "protocol/words.hpp"
#include "util/clock.hpp"

namespace actionhost {
namespace {

constexpr std::array<std::pair<std::string_view, Verb>, 13> kVerbNames{{
    {"quit", Verb::quit},
    {"exit", Verb::quit},
    {"paramAdd", Verb::param_add},
    {"paramDelete", Verb::param_delete},
    {"paramView", Verb::param_view},
    {"paramsView", Verb::params_view},
    {"paramsDelete", Verb::params_delete},
    {"roomAdd", Verb::room_add},
    {"roomLeave", Verb::room_leave},
    {"roomView", Verb::room_view},
    {"detailsView", Verb::details_view},
    {"documentation", Verb::documentation},
    {"say", Verb::say},
}};

VerbOutcome ok(Json data = nullptr) { return {VerbOutcome::Kind::ok, std::move(data), {}}; }
VerbOutcome fail(std::string message) {
  return {VerbOutcome::Kind::error, nullptr, std::move(message)};
}

bool is_member(const Connection& connection, std::string_view room) {
  return std::find(connection.rooms.begin(), connection.rooms.end(), room) !=
         connection.rooms.end();
}

VerbOutcome param_add(std::string_view args, VerbContext& context) {
  SplitWord first = split_word(args);
  std::string_view key = first.word;
  std::string_view value = first.rest;
  if (auto eq = first.word.find('='); eq != std::string_view::npos) {
    key = first.word.substr(0, eq);
    value = args.substr(args.find('=') + 1);
  }
  if (key.empty()) return fail("a param key is required: paramAdd key=value");
  if (context.scrub_params && !context.actions.current()->is_known_param(key)) {
    return fail("param " + std::string(key) + " is not an input of any action");
  }
  context.connection.params.set(key, value);
  return ok();
}

VerbOutcome room_add(std::string_view room, VerbContext& context) {
  if (room.empty()) return fail("a room is required");
  switch (context.rooms.join(room, context.self.shared_from_this(), now_ms())) {
    case RoomRegistry::JoinResult::no_such_room:
      return fail("room does not exist");
    case RoomRegistry::JoinResult::already_member:
      return fail("connection already in this room (" + std::string(room) + ")");
    case RoomRegistry::JoinResult::joined:
      break;
  }
  context.connection.rooms.emplace_back(room);
  return ok(true);
}

VerbOutcome room_leave(std::string_view room, VerbContext& context) {
  if (room.empty()) return fail("a room is required");
  switch (context.rooms.leave(room, context.connection.id)) {
    case RoomRegistry::LeaveResult::no_such_room:
      return fail("room does not exist");
    case RoomRegistry::LeaveResult::not_member:
      return fail("connection not in this room (" + std::string(room) + ")");
    case RoomRegistry::LeaveResult::left:
      break;
  }
  auto& rooms = context.connection.rooms;
  rooms.erase(std::remove(rooms.begin(), rooms.end(), room), rooms.end());
  return ok(true);
}

VerbOutcome room_view(std::string_view room, VerbContext& context) {
  if (room.empty()) return fail("a room is required");
  auto members = context.rooms.members(room);
  if (!members) return fail("room does not exist");
  if (!is_member(context.connection, room)) {
    return fail("not member of room " + std::string(room));
  }
  Json listed = Json::object();
  for (const auto& member : **members) {
    listed[member.peer->peer_id()] = {{"id", member.peer->peer_id()},
                                      {"joinedAt", member.joined_at}};
  }
  return ok({{"room", room}, {"members", std::move(listed)}, {"membersCount", (*members)->size()}});
}

VerbOutcome details_view(const Connection& connection) {
  return ok({{"id", connection.id},
             {"fingerprint", connection.id},
             {"remoteIP", connection.remote_ip},
             {"remotePort", connection.remote_port},
             {"params", connection.params.json()},
             {"connectedAt", connection.connected_at},
             {"rooms", connection.rooms},
             {"totalActions", connection.total_actions},
             {"pendingActions", connection.pending_actions}});
}

VerbOutcome say(std::string_view args, VerbContext& context) {
  SplitWord room = split_word(args);
  if (room.word.empty() || room.rest.empty()) return fail("both room and message are required");
  if (!context.rooms.exists(room.word)) return fail("room does not exist");
  if (!is_member(context.connection, room.word)) {
    return fail("connection not in this room (" + std::string(room.word) + ")");
  }
  context.rooms.broadcast(room.word, share_bytes(answers::say(room.word, room.rest,
                                                              context.connection.id, now_ms())));
  return ok();
}

}  // namespace

std::optional<Verb> find_verb(std::string_view word) {
  for (const auto& [name, verb] : kVerbNames) {
    if (name == word) return verb;
  }
  return std::nullopt;
}

VerbOutcome run_verb(Verb verb, std::string_view args, VerbContext& context) {
  Connection& connection = context.connection;
  std::string_view first = split_word(args).word;
  switch (verb) {
    case Verb::quit:
      return {VerbOutcome::Kind::quit, nullptr, {}};
    case Verb::param_add:
      return param_add(args, context);
    case Verb::param_delete:
      if (first.empty()) return fail("a param key is required: paramDelete key");
      connection.params.erase(first);
      return ok();
    case Verb::param_view: {
      if (first.empty()) return fail("a param key is required: paramView key");
      auto it = connection.params.json().find(first);
      return ok(it == connection.params.json().end() ? Json(nullptr) : *it);
    }
    case Verb::params_view:
      return ok(connection.params.json());
    case Verb::params_delete:
      connection.params.clear();
      return ok();
    case Verb::room_add:
      return room_add(first, context);
    case Verb::room_leave:
      return room_leave(first, context);
    case Verb::room_view:
      return room_view(first, context);
    case Verb::details_view:
      return details_view(connection);
    case Verb::documentation:
      return ok(context.actions.current()->documentation());
    case Verb::say:
      return say(args, context);
  }
  return fail("unknown verb");
}

}  // namespace actionhost
