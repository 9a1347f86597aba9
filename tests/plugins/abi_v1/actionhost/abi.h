/*
 * actionhost plugin ABI — the only contract between the server and a plugin.
 *
 * Plain C. A plugin is a shared library that exports one symbol, ACTIONHOST_ENTRY_SYMBOL,
 * returning a static descriptor (ah_plugin_def) whose first field is the ABI version the
 * plugin was built for. The server reads that field first and refuses a plugin whose
 * version it does not support; only then does it read the rest and call on_load, passing
 * the host services as a table of function pointers (ah_host_api). Plugins never link the
 * server.
 *
 * Rules at the boundary:
 *  - Strings cross as pointer + length (ah_str) and are not NUL-terminated unless stated.
 *    JSON crosses as UTF-8 text.
 *  - Data the host returns is passed to a sink callback (ah_sink) during the call; copy it
 *    there if you need it after. Nothing allocated on one side is freed on the other.
 *  - No C++ type or exception crosses. Every function on either side returns an ah_status
 *    (or nothing) and must not throw.
 *  - Growth: every struct starts with or carries a size/version and reserved fields, and new
 *    host services are only ever appended to ah_host_api (check host->size before using an
 *    entry newer than your ABI version).
 */
#ifndef ACTIONHOST_ABI_H
#define ACTIONHOST_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. The server supports exactly the versions it lists
 * in its --check output; a plugin built for another one is refused with the reason. */
#define AH_ABI_VERSION 1u

/* The one symbol a plugin exports (see ACTIONHOST_PLUGIN in sdk.hpp). */
#define ACTIONHOST_ENTRY_SYMBOL "actionhost_plugin_entry"

typedef enum ah_status {
  AH_OK = 0,
  AH_ERR_INVALID = 1,          /* an argument was malformed (e.g. not JSON) */
  AH_ERR_ALREADY_ANSWERED = 2, /* the request was answered (or timed out) already */
  AH_ERR_NOT_FOUND = 3,        /* no such key / room */
  AH_ERR_EXPIRED = 4,          /* the cache entry expired */
  AH_ERR_REFUSED = 5,          /* the host will not do it now (e.g. shutting down) */
  AH_ERR_INTERNAL = 6
} ah_status;

typedef struct ah_str {
  const char* data;
  size_t size;
} ah_str;

/* Receives bytes from the other side during a call. */
typedef void (*ah_sink)(void* sink_context, const char* data, size_t size);

typedef enum ah_log_level {
  AH_LOG_TRACE = 0,
  AH_LOG_DEBUG = 1,
  AH_LOG_INFO = 2,
  AH_LOG_WARN = 3,
  AH_LOG_ERROR = 4
} ah_log_level;

/* Opaque handles owned by the host. */
typedef struct ah_plugin ah_plugin;   /* one loaded plugin, valid from on_load to on_unload */
typedef struct ah_request ah_request; /* one action call, valid until it is answered */

/* ------------------------------------------------------------------ host services --- */

typedef void (*ah_timer_fn)(void* user);

typedef struct ah_host_api {
  uint32_t abi_version; /* AH_ABI_VERSION of the host */
  uint32_t size;        /* sizeof(ah_host_api) in the host: entries past it do not exist */

  /* Answers a request with a JSON object of response fields, or with an error message
   * (sent as "Error: MESSAGE"). Exactly one answer per request; callable from any thread,
   * before or after run() returns. A second answer, or one after the action timed out,
   * returns AH_ERR_ALREADY_ANSWERED and is dropped (the request handle stays valid until
   * the first answer; after it, only these two calls may still see it). A response that is
   * not a JSON object returns AH_ERR_INVALID and answers the request with an error. */
  ah_status (*respond)(ah_request* request, ah_str response_json);
  ah_status (*fail)(ah_request* request, ah_str message);

  /* The id of the connection that made the request. */
  ah_status (*request_connection_id)(ah_request* request, ah_sink sink, void* sink_context);

  /* Cache (in memory, shared by every plugin), with actionhero's semantics. */
  ah_status (*cache_save)(ah_str key, ah_str value_json, int64_t expire_in_ms /* 0 = never */);
  /* Writes {"key","value","expireTimestamp","createdAt","readAt"}; AH_ERR_NOT_FOUND or
   * AH_ERR_EXPIRED otherwise. */
  ah_status (*cache_load)(ah_str key, ah_sink sink, void* sink_context);
  ah_status (*cache_destroy)(ah_str key); /* AH_OK, or AH_ERR_NOT_FOUND */
  int64_t (*cache_size)(void);

  /* Chat. A message sent by a plugin has "from": 0. */
  ah_status (*room_create)(ah_str room);                    /* AH_OK, or AH_ERR_INVALID if it exists */
  ah_status (*room_broadcast)(ah_str room, ah_str message); /* AH_ERR_NOT_FOUND: no room */

  /* Calls fire(user) once, on a server thread, after delay_ms. The plugin stays loaded
   * until every timer it started has fired or was cancelled: when this version is replaced
   * or removed and has no request running any more, its pending timers are cancelled and
   * never fire (fire is then not called, so user is not freed by it: prefer timer_every
   * with a drop callback). AH_ERR_REFUSED once the plugin is being unloaded. */
  ah_status (*timer_start)(ah_plugin* plugin, uint64_t delay_ms, ah_timer_fn fire, void* user);

  void (*log)(ah_plugin* plugin, ah_log_level level, ah_str message);

  /* The server's state as JSON: {"id","serverVersion","uptime","connections",
   * "actionsServed","plugins":[{"name","version","file","actions"}],"reloads",
   * "reloadsRefused"} — what the status action reports. */
  ah_status (*server_status)(ah_sink sink, void* sink_context);
  /* {NAME:{"VERSION":{"name","version","description","inputs","outputExample"}}} */
  ah_status (*documentation)(ah_sink sink, void* sink_context);

  /* ---- Appended in ABI version 1: use only when host->size covers the entry ---------- */

  /* Starts a timer: fire(user) after delay_ms, then every interval_ms while interval_ms > 0,
   * on a server thread, until cancelled. drop(user), when not NULL, is called once when the
   * timer is done (after its last fire, or once cancelled) to free user. Writes the timer's
   * id to *timer_id when timer_id is not NULL. Cancelled like timer_start's when this
   * version is replaced or removed and has no request running. AH_ERR_REFUSED once the
   * plugin is being unloaded. */
  ah_status (*timer_every)(ah_plugin* plugin, uint64_t delay_ms, uint64_t interval_ms, ah_timer_fn fire,
                           ah_timer_fn drop, void* user, uint64_t* timer_id);
  /* Cancels a pending timer of this plugin: it does not fire again (a fire running now
   * finishes), then drop runs. AH_ERR_NOT_FOUND when no such timer is pending. Any thread. */
  ah_status (*timer_cancel)(ah_plugin* plugin, uint64_t timer_id);
} ah_host_api;

/* ------------------------------------------------------------- plugin descriptor --- */

/* Rewrites a param's value: reads value_json, writes the new value as JSON to sink.
 * Returns AH_OK, or another status with an error message written to sink instead. */
typedef ah_status (*ah_format_fn)(void* user, ah_str value_json, ah_sink sink, void* sink_context);

/* Checks a param's value: AH_OK when valid; otherwise writes the error message to sink
 * (the request is answered "Error: MESSAGE") and returns AH_ERR_INVALID. */
typedef ah_status (*ah_validate_fn)(void* user, ah_str value_json, ah_sink sink, void* sink_context);

/* Runs the action. params_json is the request's params after scrubbing, defaults,
 * formatters and validators, valid during this call only (copy it to keep it). Answer with host->respond or host->fail, exactly once, now or
 * later, from any thread. */
typedef void (*ah_run_fn)(void* user, ah_request* request, ah_str params_json);

typedef struct ah_input_def {
  const char* name;         /* NUL-terminated */
  int32_t required;         /* non-zero: missing, null or "" is an error */
  const char* default_json; /* NUL-terminated JSON, or NULL for no default */
  ah_format_fn format;      /* or NULL */
  void* format_user;
  ah_validate_fn validate; /* or NULL */
  void* validate_user;
  void* reserved[4];
} ah_input_def;

enum {
  /* run() may block: the server calls it on its worker pool, not on an I/O thread. */
  AH_ACTION_BLOCKING = 1u << 0
};

typedef struct ah_action_def {
  const char* name;                /* NUL-terminated, non-empty */
  int32_t version;                 /* >= 1 */
  const char* description;         /* NUL-terminated, may be "" */
  const char* output_example_json; /* NUL-terminated JSON object, or NULL */
  const ah_input_def* inputs;
  size_t input_count;
  uint32_t flags; /* AH_ACTION_* */
  ah_run_fn run;
  void* user;
  void* reserved[4];
} ah_action_def;

typedef struct ah_plugin_def {
  uint32_t abi_version; /* must be first: AH_ABI_VERSION the plugin was built with */
  uint32_t size;        /* sizeof(ah_plugin_def) as the plugin was built */
  const char* name;     /* NUL-terminated */
  const char* version;  /* NUL-terminated, e.g. "1.0.0" */
  const ah_action_def* actions;
  size_t action_count;
  /* Called once before any action is published. Return AH_OK, or another status with a
   * reason written to sink to refuse the load. May be NULL. */
  ah_status (*on_load)(const ah_host_api* host, ah_plugin* plugin, ah_sink sink, void* sink_context);
  /* Called once after the last request and timer of this plugin, just before the library
   * is closed. May be NULL. */
  void (*on_unload)(void);
  void* reserved[8];
} ah_plugin_def;

typedef const ah_plugin_def* (*ah_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* ACTIONHOST_ABI_H */
