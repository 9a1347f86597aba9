#include "verbs/verbs.hpp"

#include "actions/chat.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "protocol/answers.hpp"
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

Result<Json> ok(Json data = nullptr) { return data; }
Problem fail(std::string message) { return Problem::invalid(std::move(message)); }

Result<Json> param_add(std::string_view args, VerbContext& context) {
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
  const StickyParams& params = context.connection.params;
  if (context.max_params != 0 && params.size_after_set(key) > context.max_params) {
    return Problem::too_large("too many params (max " + std::to_string(context.max_params) + ")");
  }
  if (context.max_params_bytes != 0 && params.bytes_after_set(key, value) > context.max_params_bytes) {
    return Problem::too_large("params too large (max " + std::to_string(context.max_params_bytes) + " bytes)");
  }
  context.connection.params.set(key, value);
  return ok();
}

Result<Json> room_add(std::string_view room, VerbContext& context) {
  if (room.empty()) return fail("a room is required");
  if (auto joined = chat::join(context.rooms, *context.actions.current(), context.self.shared_from_this(), room,
                               now_ms());
      !joined) {
    return std::move(joined).problem();
  }
  return ok(true);
}

Result<Json> room_leave(std::string_view room, VerbContext& context) {
  if (room.empty()) return fail("a room is required");
  if (auto left = chat::leave(context.rooms, *context.actions.current(), context.self, room); !left) {
    return std::move(left).problem();
  }
  return ok(true);
}

Result<Json> room_view(std::string_view room, VerbContext& context) {
  if (room.empty()) return fail("a room is required");
  auto members = context.rooms.members(room);
  if (!members) return fail("room does not exist");
  if (!context.rooms.is_member(room, context.connection.id)) {
    return fail("not member of room " + std::string(room));
  }
  Json listed = Json::object();
  auto set = context.actions.current();
  for (const auto& member : **members) listed[member.peer->peer_id()] = chat::member_record(*set, room, member);
  return ok({{"room", room}, {"members", std::move(listed)}, {"membersCount", (*members)->size()}});
}

Result<Json> details_view(const Connection& connection, const RoomRegistry& rooms) {
  return ok({{"id", connection.id},
             {"fingerprint", connection.id},
             {"remoteIP", connection.remote_ip},
             {"remotePort", connection.remote_port},
             {"params", connection.params.json()},
             {"connectedAt", connection.connected_at},
             {"rooms", rooms.rooms_of(connection.id)},
             {"totalActions", connection.total_actions},
             {"pendingActions", connection.pending_actions}});
}

Result<Json> say(std::string_view args, VerbContext& context) {
  SplitWord room = split_word(args);
  if (room.word.empty() || room.rest.empty()) return fail("both room and message are required");
  if (auto said = chat::say(context.rooms, *context.actions.current(), context.self, room.word, room.rest,
                            now_ms());
      !said) {
    return std::move(said).problem();
  }
  return ok();
}

}  // namespace

std::optional<Verb> find_verb(std::string_view word) {
  for (const auto& [name, verb] : kVerbNames) {
    if (name == word) return verb;
  }
  return std::nullopt;
}

Result<Json> run_verb(Verb verb, std::string_view args, VerbContext& context) {
  Connection& connection = context.connection;
  std::string_view first = split_word(args).word;
  switch (verb) {
    case Verb::quit:
      return ok();
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
      return details_view(connection, context.rooms);
    case Verb::documentation:
      return ok(context.actions.current()->documentation());
    case Verb::say:
      return say(args, context);
  }
  return fail("unknown verb");
}

}  // namespace actionhost
