#include "plugins/host_api.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "actions/action_call.hpp"
#include "actions/hook_call.hpp"
#include "crashes/quarantine.hpp"
#include "plugins/plugin_library.hpp"
#include "plugins/plugin_loader.hpp"
#include "protocol/answers.hpp"
#include "util/clock.hpp"

#ifndef ACTIONHOST_VERSION
#define ACTIONHOST_VERSION "0.0.0"
#endif

namespace actionhost {
namespace {

// ---------------------------------------------------------------------------- helpers --

std::string_view view(ah_str s) { return {s.data ? s.data : "", s.data ? s.size : 0}; }

void emit(ah_sink sink, void* context, std::string_view text) { sink(context, text.data(), text.size()); }

// Runs `body`, turning any exception into AH_ERR_INTERNAL.
template <class Body>
ah_status guarded(Body&& body) {
  try {
    return body();
  } catch (const std::exception& e) {
    spdlog::error("host service failed: {}", e.what());
    return AH_ERR_INTERNAL;
  }
}

ah_status status_of(const Problem& problem) {
  switch (problem.kind) {
    case Problem::Kind::not_found:
      return AH_ERR_NOT_FOUND;
    case Problem::Kind::expired:
      return AH_ERR_EXPIRED;
    case Problem::Kind::conflict:
      return AH_ERR_ALREADY_ANSWERED;
    case Problem::Kind::internal:
      return AH_ERR_INTERNAL;
    case Problem::Kind::too_large:
      return AH_ERR_REFUSED;
    case Problem::Kind::unavailable:
      return AH_ERR_UNAVAILABLE;
    default:
      return AH_ERR_INVALID;
  }
}

// An answer's Result as the ABI reports it: a second answer is AH_ERR_ALREADY_ANSWERED.
ah_status answer_status(const Result<>& answered) { return answered ? AH_OK : status_of(answered.problem()); }

std::optional<Json> parse(ah_str text) {
  Json value = Json::parse(view(text), nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

HostServices& services_of(ah_plugin* plugin) { return PluginLibrary::from_handle(plugin)->services(); }

Peer& peer_of(ah_connection* connection) { return *reinterpret_cast<Peer*>(connection); }
ah_connection* connection_handle(Peer* peer) { return reinterpret_cast<ah_connection*>(peer); }

// --------------------------------------------------------------------- registration --

ah_status register_action(ah_plugin* plugin, const ah_action_def* def) {
  if (!plugin || !def) return AH_ERR_INVALID;
  return guarded([&] {
    Registration* registration = PluginLibrary::from_handle(plugin)->registration();
    if (!registration) return AH_ERR_REFUSED;  // only during on_load
    auto action = std::make_shared<Action>();
    if (auto read = read_action_definition(*def, *action); !read) {
      if (registration->problem.empty()) registration->problem = read.problem().message;
      return AH_ERR_INVALID;
    }
    for (const auto& other : registration->actions) {
      if (other->name == action->name && other->version == action->version) {
        if (registration->problem.empty()) {
          registration->problem = "defines action " + action->name + " version " +
                                  std::to_string(action->version) + " twice";
        }
        return AH_ERR_INVALID;
      }
    }
    registration->actions.push_back(std::move(action));
    return AH_OK;
  });
}

ah_status register_hook(ah_plugin* plugin, const ah_hook_def* def) {
  if (!plugin || !def) return AH_ERR_INVALID;
  return guarded([&] {
    Registration* registration = PluginLibrary::from_handle(plugin)->registration();
    if (!registration) return AH_ERR_REFUSED;
    auto refuse = [&](std::string why) {
      if (registration->problem.empty()) registration->problem = std::move(why);
      return AH_ERR_INVALID;
    };
    if (def->size < offsetof(ah_hook_def, user) + sizeof(def->user)) {
      return refuse("a hook definition is smaller than ABI version 2's (set .size = sizeof(ah_hook_def))");
    }
    if (def->kind < AH_HOOK_ACTION_BEFORE || def->kind > AH_HOOK_CHAT_MEMBER) {
      return refuse("a hook has an unknown kind " + std::to_string(def->kind));
    }
    if (!def->run) return refuse("a hook has no run function");
    auto hook = std::make_shared<Hook>();
    hook->kind = static_cast<HookKind>(def->kind);
    hook->priority = def->priority;
    hook->run = def->run;
    hook->user = def->user;
    if (def->size >= offsetof(ah_hook_def, flags) + sizeof(def->flags)) {
      hook->may_finish_later = (def->flags & AH_HOOK_MAY_FINISH_LATER) != 0;
    }
    if (def->action_count > 0 && !def->actions) return refuse("a hook names actions but gives none");
    for (std::size_t i = 0; i < def->action_count; ++i) {
      if (!def->actions[i] || !*def->actions[i]) return refuse("a hook names an action with no name");
      hook->actions.emplace_back(def->actions[i]);
    }
    registration->hooks.push_back(std::move(hook));
    return AH_OK;
  });
}

// ------------------------------------------------------------------ logging, timers --

void log(ah_plugin* plugin, ah_log_level level, ah_str message) {
  try {
    const std::string& name = plugin ? PluginLibrary::from_handle(plugin)->name() : std::string();
    auto spd_level = static_cast<spdlog::level::level_enum>(std::clamp<int>(level, 0, 4));
    spdlog::log(spd_level, "[{}] {}", name, view(message));
  } catch (...) {
  }
}

ah_status timer_every(ah_plugin* plugin, uint64_t delay_ms, uint64_t interval_ms, ah_timer_fn fire,
                      ah_timer_fn drop, void* user, uint64_t* timer_id) {
  if (!plugin || !fire) return AH_ERR_INVALID;
  return guarded([&] {
    // The timer holds the library, so the plugin stays loaded until it is done.
    PluginLibrary& library = *PluginLibrary::from_handle(plugin);
    auto started = library.start_timer(library.services().timers, std::chrono::milliseconds(delay_ms),
                                       std::chrono::milliseconds(interval_ms), {fire, drop, user});
    if (!started) return AH_ERR_REFUSED;
    if (timer_id) *timer_id = *started;
    return AH_OK;
  });
}

ah_status timer_cancel(ah_plugin* plugin, uint64_t timer_id) {
  if (!plugin) return AH_ERR_INVALID;
  return guarded(
      [&] { return PluginLibrary::from_handle(plugin)->cancel_timer(timer_id) ? AH_OK : AH_ERR_NOT_FOUND; });
}

// ------------------------------------------------------------------------- requests --

ah_status request_params(ah_request* request, ah_sink sink, void* context) {
  if (!request || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    emit(sink, context, ActionCall::from_handle(request)->params_text());
    return AH_OK;
  });
}

const Json* find_param(ah_request* request, ah_str key) {
  const Json& params = ActionCall::from_handle(request)->params();
  auto it = params.find(view(key));
  return it == params.end() ? nullptr : &*it;
}

ah_status request_param(ah_request* request, ah_str key, ah_sink sink, void* context) {
  if (!request || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    const Json* value = find_param(request, key);
    if (!value) return AH_ERR_NOT_FOUND;
    emit(sink, context, answers::text(*value));
    return AH_OK;
  });
}

ah_status request_param_string(ah_request* request, ah_str key, ah_str* out) {
  if (!request || !out) return AH_ERR_INVALID;
  return guarded([&] {
    const Json* value = find_param(request, key);
    if (!value) return AH_ERR_NOT_FOUND;
    if (!value->is_string()) return AH_ERR_INVALID;
    const auto& text = value->get_ref<const std::string&>();
    *out = {text.data(), text.size()};
    return AH_OK;
  });
}

ah_status request_param_number(ah_request* request, ah_str key, double* out) {
  if (!request || !out) return AH_ERR_INVALID;
  return guarded([&] {
    const Json* value = find_param(request, key);
    if (!value) return AH_ERR_NOT_FOUND;
    if (!value->is_number()) return AH_ERR_INVALID;
    *out = value->get<double>();
    return AH_OK;
  });
}

ah_connection* request_connection(ah_request* request) {
  if (!request) return nullptr;
  return connection_handle(&ActionCall::from_handle(request)->connection());
}

ah_status respond(ah_request* request, ah_str response_json) {
  if (!request) return AH_ERR_INVALID;
  return guarded([&] { return answer_status(ActionCall::from_handle(request)->respond(view(response_json))); });
}

ah_status fail(ah_request* request, ah_str message) {
  if (!request) return AH_ERR_INVALID;
  return guarded([&] { return answer_status(ActionCall::from_handle(request)->fail(view(message))); });
}

ah_writer* respond_begin(ah_request* request) {
  if (!request) return nullptr;
  try {
    ActionCall* call = ActionCall::from_handle(request);
    return call->begin_response() ? call->writer_handle() : nullptr;
  } catch (...) {
    return nullptr;
  }
}

template <class Write>
void with_writer(ah_writer* writer, Write&& write) {
  if (!writer) return;
  try {
    if (ResponseWriter* w = ActionCall::from_writer(writer)->writer()) write(*w);
  } catch (...) {
  }
}

void write_json(ah_writer* writer, ah_str key, ah_str value) {
  with_writer(writer, [&](ResponseWriter& w) { w.json(view(key), view(value)); });
}
void write_string(ah_writer* writer, ah_str key, ah_str value) {
  with_writer(writer, [&](ResponseWriter& w) { w.string(view(key), view(value)); });
}
void write_number(ah_writer* writer, ah_str key, double value) {
  with_writer(writer, [&](ResponseWriter& w) { w.number(view(key), value); });
}
void write_integer(ah_writer* writer, ah_str key, int64_t value) {
  with_writer(writer, [&](ResponseWriter& w) { w.integer(view(key), value); });
}
void write_bool(ah_writer* writer, ah_str key, int value) {
  with_writer(writer, [&](ResponseWriter& w) { w.boolean(view(key), value != 0); });
}

ah_status respond_end(ah_writer* writer) {
  if (!writer) return AH_ERR_INVALID;
  return guarded([&] { return answer_status(ActionCall::from_writer(writer)->end_response()); });
}

// ---------------------------------------------------------------------- connections --

ah_status connection_info(ah_connection* connection, ah_sink sink, void* context) {
  if (!connection || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    Peer& peer = peer_of(connection);
    emit(sink, context,
         answers::text({{"id", peer.peer_id()},
                        {"remoteIP", peer.remote_ip()},
                        {"remotePort", peer.remote_port()},
                        {"rooms", peer.rooms()}}));
    return AH_OK;
  });
}

ah_status connection_data_get(ah_connection* connection, ah_str key, ah_sink sink, void* context) {
  if (!connection || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    auto value = peer_of(connection).data().get(view(key));
    if (!value) return AH_ERR_NOT_FOUND;
    emit(sink, context, answers::text(*value));
    return AH_OK;
  });
}

ah_status connection_data_set(ah_connection* connection, ah_str key, ah_str value_json) {
  if (!connection) return AH_ERR_INVALID;
  return guarded([&] {
    if (view(value_json).empty()) {
      peer_of(connection).data().erase(view(key));
      return AH_OK;
    }
    auto value = parse(value_json);
    if (!value) return AH_ERR_INVALID;
    peer_of(connection).data().set(view(key), std::move(*value));
    return AH_OK;
  });
}

ah_status connection_send(ah_plugin* plugin, ah_str connection_id, ah_str message) {
  if (!plugin) return AH_ERR_INVALID;
  return guarded([&] {
    auto peer = services_of(plugin).connections.find(view(connection_id));
    if (!peer) return AH_ERR_NOT_FOUND;
    peer->deliver(share_bytes(answers::direct_message(view(message), now_ms())));
    return AH_OK;
  });
}

// ----------------------------------------------------------------------------- chat --

ah_status room_create_in(HostServices& services, ah_str room) {
  if (view(room).empty()) return AH_ERR_INVALID;
  return guarded([&] {
    auto created = services.chat.create_room(std::string(view(room)));
    if (created) return AH_OK;
    if (created.problem().kind == Problem::Kind::conflict) return AH_ERR_INVALID;  // it exists
    spdlog::warn("a plugin could not create room {}: {} (chat.max_rooms)", view(room),
                 created.problem().message);
    return AH_ERR_REFUSED;
  });
}

ah_status room_broadcast_in(HostServices& services, ah_str room, ah_str message) {
  return guarded([&] {
    auto sent = services.chat.broadcast(std::string(view(room)), std::string(view(message)));
    return sent ? AH_OK : status_of(sent.problem());
  });
}

ah_status room_create(ah_plugin* plugin, ah_str room) {
  if (!plugin) return AH_ERR_INVALID;
  return room_create_in(services_of(plugin), room);
}

ah_status room_broadcast(ah_plugin* plugin, ah_str room, ah_str message) {
  if (!plugin) return AH_ERR_INVALID;
  return room_broadcast_in(services_of(plugin), room, message);
}

// A room change a plugin asks for: the reason of a refusal goes to sink.
template <class Change>
ah_status room_change(ah_plugin* plugin, ah_sink sink, void* context, Change&& change) {
  if (!plugin) return AH_ERR_INVALID;
  return guarded([&] {
    Result<> changed = change(services_of(plugin).chat);
    if (changed) return AH_OK;
    const Problem& problem = changed.problem();
    if (sink) emit(sink, context, problem.message);
    // Any other refusal (a hook's, a limit, already or not a member) is AH_ERR_REFUSED.
    const bool as_is = problem.kind == Problem::Kind::not_found || problem.kind == Problem::Kind::unavailable;
    return as_is ? status_of(problem) : AH_ERR_REFUSED;
  });
}

ah_status room_add(ah_plugin* plugin, ah_str connection_id, ah_str room, ah_sink sink, void* context) {
  return room_change(plugin, sink, context, [&](ChatService& chat) {
    return chat.add_member(std::string(view(connection_id)), std::string(view(room)));
  });
}

ah_status room_remove(ah_plugin* plugin, ah_str connection_id, ah_str room, ah_sink sink, void* context) {
  return room_change(plugin, sink, context, [&](ChatService& chat) {
    return chat.remove_member(std::string(view(connection_id)), std::string(view(room)));
  });
}

ah_status room_members(ah_plugin* plugin, ah_str room, ah_sink sink, void* context) {
  if (!plugin || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    auto members = services_of(plugin).chat.members(std::string(view(room)));
    if (!members) return status_of(members.problem());
    emit(sink, context, answers::text(*members));
    return AH_OK;
  });
}

// ---------------------------------------------------------------------------- cache --

ah_status cache_save_in(HostServices& services, ah_str key, ah_str value_json, int64_t expire_in_ms) {
  return guarded([&] {
    auto value = parse(value_json);
    if (!value) return AH_ERR_INVALID;
    auto saved = services.cache.save(std::string(view(key)), std::move(*value), expire_in_ms, now_ms());
    return saved ? AH_OK : status_of(saved.problem());
  });
}

ah_status cache_load_in(HostServices& services, ah_str key, ah_sink sink, void* context) {
  if (!sink) return AH_ERR_INVALID;
  return guarded([&] {
    auto entry = services.cache.load(view(key), now_ms());
    if (!entry) return status_of(entry.problem());
    emit(sink, context, answers::text(*entry));
    return AH_OK;
  });
}

ah_status cache_destroy_in(HostServices& services, ah_str key) {
  return guarded([&] {
    auto destroyed = services.cache.destroy(view(key));
    if (!destroyed) return status_of(destroyed.problem());
    return *destroyed ? AH_OK : AH_ERR_NOT_FOUND;
  });
}

int64_t cache_size_in(HostServices& services) {
  try {
    auto size = services.cache.size(now_ms());
    return size ? static_cast<int64_t>(*size) : -1;
  } catch (...) {
    return 0;
  }
}

ah_status cache_save(ah_plugin* plugin, ah_str key, ah_str value_json, int64_t expire_in_ms) {
  if (!plugin) return AH_ERR_INVALID;
  return cache_save_in(services_of(plugin), key, value_json, expire_in_ms);
}
ah_status cache_load(ah_plugin* plugin, ah_str key, ah_sink sink, void* context) {
  if (!plugin) return AH_ERR_INVALID;
  return cache_load_in(services_of(plugin), key, sink, context);
}
ah_status cache_destroy(ah_plugin* plugin, ah_str key) {
  if (!plugin) return AH_ERR_INVALID;
  return cache_destroy_in(services_of(plugin), key);
}
int64_t cache_size(ah_plugin* plugin) { return plugin ? cache_size_in(services_of(plugin)) : 0; }

ah_status cache_increment(ah_plugin* plugin, ah_str key, int64_t by, int64_t* value) {
  if (!plugin) return AH_ERR_INVALID;
  return guarded([&] {
    auto sum = services_of(plugin).cache.increment(view(key), by, now_ms());
    if (!sum) return status_of(sum.problem());
    if (value) *value = *sum;
    return AH_OK;
  });
}

// --------------------------------------------------------------------------- server --

ah_status server_status_in(HostServices& services, ah_sink sink, void* context) {
  if (!sink) return AH_ERR_INVALID;
  return guarded([&] {
    emit(sink, context, answers::text(server_status(services)));
    return AH_OK;
  });
}

ah_status documentation_in(HostServices& services, ah_sink sink, void* context) {
  if (!sink) return AH_ERR_INVALID;
  return guarded([&] {
    emit(sink, context, answers::text(services.actions.current()->documentation()));
    return AH_OK;
  });
}

ah_status server_status_text(ah_plugin* plugin, ah_sink sink, void* context) {
  if (!plugin) return AH_ERR_INVALID;
  return server_status_in(services_of(plugin), sink, context);
}
ah_status documentation(ah_plugin* plugin, ah_sink sink, void* context) {
  if (!plugin) return AH_ERR_INVALID;
  return documentation_in(services_of(plugin), sink, context);
}

// ---------------------------------------------------------------------------- hooks --

ah_status hook_get(ah_hook* hook, ah_str field, ah_sink sink, void* context) {
  if (!hook || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    const Json* value = HookCall::from_handle(hook)->find(view(field));
    if (!value) return AH_ERR_NOT_FOUND;
    emit(sink, context, answers::text(*value));
    return AH_OK;
  });
}

ah_status hook_get_string(ah_hook* hook, ah_str field, ah_str* out) {
  if (!hook || !out) return AH_ERR_INVALID;
  return guarded([&] {
    const Json* value = HookCall::from_handle(hook)->find(view(field));
    if (!value) return AH_ERR_NOT_FOUND;
    if (!value->is_string()) return AH_ERR_INVALID;
    const auto& text = value->get_ref<const std::string&>();
    *out = {text.data(), text.size()};
    return AH_OK;
  });
}

ah_status hook_set(ah_hook* hook, ah_str field, ah_str value_json) {
  if (!hook) return AH_ERR_INVALID;
  return guarded([&] {
    auto value = parse(value_json);
    if (!value) return AH_ERR_INVALID;
    return HookCall::from_handle(hook)->set(view(field), std::move(*value)) ? AH_OK : AH_ERR_INVALID;
  });
}

ah_connection* hook_connection(ah_hook* hook) {
  if (!hook) return nullptr;
  return connection_handle(HookCall::from_handle(hook)->connection());
}

void hook_deny(ah_hook* hook, ah_str message) {
  if (!hook) return;
  try {
    HookCall::from_handle(hook)->deny_with(view(message));
  } catch (...) {
  }
}

ah_status hook_finish(ah_hook* hook, ah_hook_result result, ah_str message) {
  if (!hook) return AH_ERR_INVALID;
  return guarded([&] {
    auto finished = HookCall::from_handle(hook)->finish(result == AH_HOOK_ALLOW, view(message));
    return finished ? AH_OK : AH_ERR_INVALID;
  });
}

const ah_host_api kHostApi = {
    .abi_version = AH_ABI_VERSION,
    .size = sizeof(ah_host_api),
    .register_action = register_action,
    .register_hook = register_hook,
    .log = log,
    .timer_start = timer_every,
    .timer_cancel = timer_cancel,
    .request_params = request_params,
    .request_param = request_param,
    .request_param_string = request_param_string,
    .request_param_number = request_param_number,
    .request_connection = request_connection,
    .respond = respond,
    .fail = fail,
    .respond_begin = respond_begin,
    .write_json = write_json,
    .write_string = write_string,
    .write_number = write_number,
    .write_integer = write_integer,
    .write_bool = write_bool,
    .respond_end = respond_end,
    .connection_info = connection_info,
    .connection_data_get = connection_data_get,
    .connection_data_set = connection_data_set,
    .connection_send = connection_send,
    .room_create = room_create,
    .room_broadcast = room_broadcast,
    .room_add = room_add,
    .room_remove = room_remove,
    .room_members = room_members,
    .cache_save = cache_save,
    .cache_load = cache_load,
    .cache_destroy = cache_destroy,
    .cache_size = cache_size,
    .cache_increment = cache_increment,
    .server_status = server_status_text,
    .documentation = documentation,
    .hook_get = hook_get,
    .hook_set = hook_set,
    .hook_connection = hook_connection,
    .hook_deny = hook_deny,
    .hook_finish = hook_finish,
    .hook_get_string = hook_get_string,
};

// ------------------------------------------------------- ABI version 1's table --

HostServices* g_v1_services = nullptr;  // see host_api.hpp: version 1's calls carry no handle

namespace v1 {
ah_status request_connection_id(ah_request* request, ah_sink sink, void* context) {
  if (!request || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    emit(sink, context, ActionCall::from_handle(request)->connection().peer_id());
    return AH_OK;
  });
}
ah_status cache_save(ah_str key, ah_str value_json, int64_t expire_in_ms) {
  return cache_save_in(*g_v1_services, key, value_json, expire_in_ms);
}
ah_status cache_load(ah_str key, ah_sink sink, void* context) {
  return cache_load_in(*g_v1_services, key, sink, context);
}
ah_status cache_destroy(ah_str key) { return cache_destroy_in(*g_v1_services, key); }
int64_t cache_size() { return cache_size_in(*g_v1_services); }
ah_status room_create(ah_str room) { return room_create_in(*g_v1_services, room); }
ah_status room_broadcast(ah_str room, ah_str message) {
  return room_broadcast_in(*g_v1_services, room, message);
}
ah_status timer_start(ah_plugin* plugin, uint64_t delay_ms, ah_timer_fn fire, void* user) {
  return timer_every(plugin, delay_ms, 0, fire, nullptr, user, nullptr);
}
ah_status server_status(ah_sink sink, void* context) { return server_status_in(*g_v1_services, sink, context); }
ah_status documentation(ah_sink sink, void* context) { return documentation_in(*g_v1_services, sink, context); }
}  // namespace v1

const abi_v1::HostApi kHostApiV1 = {
    1,
    sizeof(abi_v1::HostApi),
    respond,
    fail,
    v1::request_connection_id,
    v1::cache_save,
    v1::cache_load,
    v1::cache_destroy,
    v1::cache_size,
    v1::room_create,
    v1::room_broadcast,
    v1::timer_start,
    log,
    v1::server_status,
    v1::documentation,
    timer_every,
    timer_cancel,
};

}  // namespace

HostTables host_tables(HostServices& services) {
  g_v1_services = &services;
  return {&kHostApi, &kHostApiV1, &services};
}

Json server_status(const HostServices& services) {
  auto actions = services.actions.current();
  Json plugins = Json::array();
  for (const auto& plugin : actions->plugins()) {
    Json names = Json::array();
    for (const auto& action : plugin.actions) names.push_back(action->name);
    plugins.push_back({{"name", plugin.library->name()},
                       {"version", plugin.library->version()},
                       {"file", plugin.library->file()},
                       {"actions", std::move(names)}});
  }
  const ServerStatus& server = services.status;
  Json status = {{"id", server.server_id},
                 {"serverVersion", ACTIONHOST_VERSION},
                 {"uptime", now_ms() - server.started_at},
                 {"connections", services.connections.size()},
                 {"actionsServed", server.requests.answered_total()},
                 {"plugins", std::move(plugins)},
                 {"reloads", server.reloads.load()},
                 {"reloadsRefused", server.reloads_refused.load()},
                 {"crashes", crash::crash_count()},
                 {"quarantined", crash::quarantined_files(services.plugins_dir)}};
  if (const Cluster* cluster = services.chat.cluster()) {
    status["cluster"] = {{"redis", cluster->up() ? "up" : "down"}, {"servers", cluster->servers()}};
  }
  return status;
}

}  // namespace actionhost
