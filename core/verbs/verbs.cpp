#include "verbs/verbs.hpp"

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

Result<Json> details_view(const Connection& connection, const ChatService& chat) {
  // Field by field: an initializer list would build each pair as an array and copy it.
  Json data(Json::value_t::object);
  auto& fields = data.get_ref<Json::object_t&>();
  fields.reserve(9);
  fields.emplace_back("id", connection.id);
  fields.emplace_back("fingerprint", connection.id);
  fields.emplace_back("remoteIP", connection.remote_ip);
  fields.emplace_back("remotePort", connection.remote_port);
  fields.emplace_back("params", connection.params.json());
  fields.emplace_back("connectedAt", connection.connected_at);
  fields.emplace_back("rooms", chat.rooms_of(connection.id));
  fields.emplace_back("totalActions", connection.total_actions);
  fields.emplace_back("pendingActions", connection.pending_actions);
  return data;
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
    case Verb::details_view:
      return details_view(connection, context.chat);
    case Verb::documentation:
      return ok(context.actions.current()->documentation());
    case Verb::room_add:
    case Verb::room_leave:
    case Verb::room_view:
    case Verb::say:
      break;  // run_chat_verb
  }
  return fail("unknown verb");
}

bool is_chat_verb(Verb verb) {
  return verb == Verb::room_add || verb == Verb::room_leave || verb == Verb::room_view || verb == Verb::say;
}

void run_chat_verb(Verb verb, std::string_view args, ChatService& chat, const std::shared_ptr<Peer>& self,
                   ChatService::Done done) {
  SplitWord first = split_word(args);
  const std::string room(first.word);
  switch (verb) {
    case Verb::say:
      if (first.word.empty() || first.rest.empty()) return done(fail("both room and message are required"));
      return chat.say(self, room, std::string(first.rest), std::move(done));
    case Verb::room_add:
    case Verb::room_leave:
    case Verb::room_view:
      if (room.empty()) return done(fail("a room is required"));
      if (verb == Verb::room_add) return chat.join(self, room, std::move(done));
      if (verb == Verb::room_leave) return chat.leave(self, room, std::move(done));
      return chat.view(self, room, std::move(done));
    default:
      return done(fail("not a chat verb"));
  }
}

}  // namespace actionhost
