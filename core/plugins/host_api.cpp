#include "plugins/host_api.hpp"

#include <spdlog/spdlog.h>

#include "actions/action_call.hpp"
#include "crashes/quarantine.hpp"
#include "plugins/plugin_library.hpp"
#include "protocol/answers.hpp"
#include "util/clock.hpp"

#ifndef ACTIONHOST_VERSION
#define ACTIONHOST_VERSION "0.0.0"
#endif

namespace actionhost {
namespace {

HostServices* g_services = nullptr;

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

// An answer's Result as the ABI reports it: a second answer is AH_ERR_ALREADY_ANSWERED.
ah_status answer_status(const Result<>& answered) {
  if (answered) return AH_OK;
  return answered.problem().kind == Problem::Kind::conflict ? AH_ERR_ALREADY_ANSWERED : AH_ERR_INVALID;
}

ah_status respond(ah_request* request, ah_str response_json) {
  if (!request) return AH_ERR_INVALID;
  return guarded([&] { return answer_status(ActionCall::from_handle(request)->respond(view(response_json))); });
}

ah_status fail(ah_request* request, ah_str message) {
  if (!request) return AH_ERR_INVALID;
  return guarded([&] { return answer_status(ActionCall::from_handle(request)->fail(view(message))); });
}

ah_status request_connection_id(ah_request* request, ah_sink sink, void* context) {
  if (!request || !sink) return AH_ERR_INVALID;
  return guarded([&] {
    emit(sink, context, ActionCall::from_handle(request)->connection_id());
    return AH_OK;
  });
}

ah_status cache_save(ah_str key, ah_str value_json, int64_t expire_in_ms) {
  return guarded([&] {
    Json value;
    try {
      value = Json::parse(view(value_json));
    } catch (const Json::exception&) {
      return AH_ERR_INVALID;
    }
    g_services->cache.save(std::string(view(key)), std::move(value), expire_in_ms, now_ms());
    return AH_OK;
  });
}

ah_status cache_load(ah_str key, ah_sink sink, void* context) {
  if (!sink) return AH_ERR_INVALID;
  return guarded([&] {
    auto entry = g_services->cache.load(view(key), now_ms());
    if (!entry) return entry.problem().kind == Problem::Kind::expired ? AH_ERR_EXPIRED : AH_ERR_NOT_FOUND;
    std::string text = answers::text(*entry);
    emit(sink, context, text);
    return AH_OK;
  });
}

ah_status cache_destroy(ah_str key) {
  return guarded([&] { return g_services->cache.destroy(view(key)) ? AH_OK : AH_ERR_NOT_FOUND; });
}

int64_t cache_size() {
  try {
    return static_cast<int64_t>(g_services->cache.size(now_ms()));
  } catch (...) {
    return 0;
  }
}

ah_status room_create(ah_str room) {
  if (view(room).empty()) return AH_ERR_INVALID;
  return guarded([&] { return g_services->rooms.create(view(room)) ? AH_OK : AH_ERR_INVALID; });
}

ah_status room_broadcast(ah_str room, ah_str message) {
  return guarded([&] {
    auto bytes = share_bytes(answers::say(view(room), view(message), 0, now_ms()));
    return g_services->rooms.broadcast(view(room), bytes) ? AH_OK : AH_ERR_NOT_FOUND;
  });
}

ah_status timer_every(ah_plugin* plugin, uint64_t delay_ms, uint64_t interval_ms, ah_timer_fn fire,
                      ah_timer_fn drop, void* user, uint64_t* timer_id) {
  if (!plugin || !fire) return AH_ERR_INVALID;
  return guarded([&] {
    // The timer holds the library, so the plugin stays loaded until it is done.
    auto started = PluginLibrary::from_handle(plugin)->start_timer(
        g_services->timers, std::chrono::milliseconds(delay_ms), std::chrono::milliseconds(interval_ms),
        {fire, drop, user});
    if (!started) return AH_ERR_REFUSED;
    if (timer_id) *timer_id = *started;
    return AH_OK;
  });
}

ah_status timer_start(ah_plugin* plugin, uint64_t delay_ms, ah_timer_fn fire, void* user) {
  return timer_every(plugin, delay_ms, 0, fire, nullptr, user, nullptr);
}

ah_status timer_cancel(ah_plugin* plugin, uint64_t timer_id) {
  if (!plugin) return AH_ERR_INVALID;
  return guarded(
      [&] { return PluginLibrary::from_handle(plugin)->cancel_timer(timer_id) ? AH_OK : AH_ERR_NOT_FOUND; });
}

void log(ah_plugin* plugin, ah_log_level level, ah_str message) {
  try {
    const std::string& name = plugin ? PluginLibrary::from_handle(plugin)->name() : std::string();
    auto spd_level = static_cast<spdlog::level::level_enum>(std::clamp<int>(level, 0, 4));
    spdlog::log(spd_level, "[{}] {}", name, view(message));
  } catch (...) {
  }
}

ah_status server_status_text(ah_sink sink, void* context) {
  if (!sink) return AH_ERR_INVALID;
  return guarded([&] {
    std::string text = answers::text(server_status(*g_services));
    emit(sink, context, text);
    return AH_OK;
  });
}

ah_status documentation(ah_sink sink, void* context) {
  if (!sink) return AH_ERR_INVALID;
  return guarded([&] {
    std::string text = answers::text(g_services->actions.current()->documentation());
    emit(sink, context, text);
    return AH_OK;
  });
}

const ah_host_api kHostApi = {
    AH_ABI_VERSION,
    sizeof(ah_host_api),
    respond,
    fail,
    request_connection_id,
    cache_save,
    cache_load,
    cache_destroy,
    cache_size,
    room_create,
    room_broadcast,
    timer_start,
    log,
    server_status_text,
    documentation,
    timer_every,
    timer_cancel,
};

}  // namespace

const ah_host_api* host_api(HostServices& services) {
  g_services = &services;
  return &kHostApi;
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
  const ServerStatus& status = services.status;
  return {{"id", status.server_id},
          {"serverVersion", ACTIONHOST_VERSION},
          {"uptime", now_ms() - status.started_at},
          {"connections", services.connections.size()},
          {"actionsServed", status.actions_served.load()},
          {"plugins", std::move(plugins)},
          {"reloads", status.reloads.load()},
          {"reloadsRefused", status.reloads_refused.load()},
          {"crashes", crash::crash_count()},
          {"quarantined", crash::quarantined_files(services.plugins_dir)}};
}

}  // namespace actionhost
