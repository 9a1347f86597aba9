/*
 * actionhost plugin ABI, version 2 — the only contract between the server and a plugin.
 *
 * Plain C. A plugin is a shared library that exports one symbol, ACTIONHOST_ENTRY_SYMBOL,
 * returning a static descriptor (ah_plugin_def) whose first field is the ABI version the
 * plugin was built for. The server reads that field first and accepts every version from 1
 * to AH_ABI_VERSION: a plugin built against an older abi.h keeps loading, unchanged. It then
 * calls on_load with the host services (ah_host_api), during which the plugin registers what
 * it offers — actions, hooks, timers — by calls. Plugins never link the server.
 *
 * Rules at the boundary:
 *  - Strings cross as pointer + length (ah_str), not NUL-terminated unless stated. JSON
 *    crosses as UTF-8 text.
 *  - Data the host returns is passed to a sink callback (ah_sink) during the call; copy it
 *    there to keep it. Nothing allocated on one side is freed on the other.
 *  - No C++ type or exception crosses. Every function on either side returns a status, a
 *    handle or nothing, and must not throw.
 *  - Every host call names who calls: the plugin (ah_plugin*), the request (ah_request*),
 *    the hook call (ah_hook*) or the connection (ah_connection*). There is no "current
 *    plugin" anywhere.
 *  - Growth: every definition struct starts with its own size (set it to sizeof as you were
 *    built), so the host reads only what the plugin has; host services are only ever appended
 *    to ah_host_api (check host->size before using an entry newer than your abi.h). Entries
 *    are a struct of pointers rather than looked up by name (as Redis modules do) so that a
 *    call costs one indirect jump and the compiler checks every signature.
 *
 * Threads and lifetimes (each entry below says which applies):
 *  - "manager thread": the server's plugin-manager thread. on_load, on_unload and the
 *    closing of the library run there, never on a thread running this plugin's code.
 *  - "any thread": the call is thread-safe and may be made from threads the plugin started.
 *  - A handle passed to a callback is valid during that callback; ah_request* until the
 *    request is answered (respond, fail, respond_end), ah_hook* of an action `before` hook
 *    that returned AH_HOOK_LATER until hook_finish. ah_connection* from request_connection
 *    is valid as long as its ah_request*, from hook_connection as long as its ah_hook*.
 *  - ah_plugin* is valid from on_load until on_unload returns.
 */
#ifndef ACTIONHOST_ABI_H
#define ACTIONHOST_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes; the server accepts 1 to its own. */
#define AH_ABI_VERSION 2u

/* The one symbol a plugin exports (see ACTIONHOST_PLUGIN in sdk.hpp). */
#define ACTIONHOST_ENTRY_SYMBOL "actionhost_plugin_entry"

typedef enum ah_status {
  AH_OK = 0,
  AH_ERR_INVALID = 1,          /* an argument was malformed (e.g. not JSON, wrong type) */
  AH_ERR_ALREADY_ANSWERED = 2, /* the request was answered (or timed out) already */
  AH_ERR_NOT_FOUND = 3,        /* no such key, room, connection, param or timer */
  AH_ERR_EXPIRED = 4,          /* the cache entry expired */
  AH_ERR_REFUSED = 5,          /* the host will not do it (shutting down, denied by a hook, a limit) */
  AH_ERR_INTERNAL = 6,
  AH_ERR_UNAVAILABLE = 7 /* cluster mode: Redis cannot be reached now ("the cluster is unavailable");
                          * a plugin built before this value treats it as any other failure */
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

/* Opaque handles owned by the host (lifetimes above). */
typedef struct ah_plugin ah_plugin;         /* one loaded plugin */
typedef struct ah_request ah_request;       /* one action call */
typedef struct ah_connection ah_connection; /* one client connection */
typedef struct ah_hook ah_hook;             /* one call of a hook */
typedef struct ah_writer ah_writer;         /* a response being written (respond_begin) */

/* --------------------------------------------------------------- definitions --- */

typedef void (*ah_timer_fn)(void* user);

/* Rewrites a param's value: reads value_json, writes the new value as JSON to sink.
 * Returns AH_OK, or another status with an error message written to sink instead.
 * Runs on the thread that runs the request's pipeline (an I/O thread). */
typedef ah_status (*ah_format_fn)(void* user, ah_str value_json, ah_sink sink, void* sink_context);

/* Checks a param's value: AH_OK when valid; otherwise writes the error message to sink
 * (the request is answered "Error: MESSAGE") and returns AH_ERR_INVALID. Same thread. */
typedef ah_status (*ah_validate_fn)(void* user, ah_str value_json, ah_sink sink, void* sink_context);

/* Runs the action, on an I/O thread (or a worker thread for AH_ACTION_BLOCKING). Read the
 * params with request_params / request_param*; answer with respond, fail or a writer,
 * exactly once, now or later, from any thread. */
typedef void (*ah_run_fn)(void* user, ah_request* request);

/* The type an input declares: a socket param (always text) is converted to it, and one
 * that does not convert is answered "Error: KEY should be a TYPE". */
typedef enum ah_type {
  AH_TYPE_ANY = 0,
  AH_TYPE_STRING = 1,
  AH_TYPE_INTEGER = 2,
  AH_TYPE_NUMBER = 3,
  AH_TYPE_BOOLEAN = 4,
  AH_TYPE_OBJECT = 5,
  AH_TYPE_ARRAY = 6
} ah_type;

typedef struct ah_input_def {
  uint32_t size;            /* sizeof(ah_input_def) as the plugin was built */
  int32_t required;         /* non-zero: missing, null or "" is an error */
  const char* name;         /* NUL-terminated */
  const char* default_json; /* NUL-terminated JSON, or NULL for no default */
  ah_format_fn format;      /* or NULL */
  void* format_user;
  ah_validate_fn validate; /* or NULL */
  void* validate_user;
  int32_t type; /* ah_type */
} ah_input_def;

enum {
  /* run() may block: the server calls it on its worker pool, not on an I/O thread. */
  AH_ACTION_BLOCKING = 1u << 0
};

typedef struct ah_action_def {
  uint32_t size;                   /* sizeof(ah_action_def) as the plugin was built */
  uint32_t flags;                  /* AH_ACTION_* */
  const char* name;                /* NUL-terminated, non-empty */
  int32_t version;                 /* >= 1 */
  const char* description;         /* NUL-terminated, may be "" */
  const char* output_example_json; /* NUL-terminated JSON object, or NULL */
  /* input_count structs, each of the plugin's sizeof(ah_input_def): the host steps through
   * the array by inputs[0].size. */
  const ah_input_def* inputs;
  size_t input_count;
  ah_run_fn run;
  void* user;
  uint64_t timeout_ms; /* this action's own timeout; 0: actions.timeout_ms applies */
} ah_action_def;

typedef enum ah_hook_kind {
  AH_HOOK_ACTION_BEFORE = 1,    /* fields: "action", "params" (settable) */
  AH_HOOK_ACTION_AFTER = 2,     /* "action", "params", "response" and "error" (both settable) */
  AH_HOOK_CONNECTION_OPEN = 3,  /* none */
  AH_HOOK_CONNECTION_CLOSE = 4, /* "reason" */
  AH_HOOK_CHAT_JOIN = 5,        /* "room" */
  AH_HOOK_CHAT_LEAVE = 6,       /* "room" */
  AH_HOOK_CHAT_SAY = 7,         /* "room", "message" (settable) */
  AH_HOOK_CHAT_DELIVER = 8,     /* "room", "message" (settable), "from"; the connection is the recipient */
  AH_HOOK_CHAT_MEMBER = 9       /* "room"; set any other field to add it to the member's record */
} ah_hook_kind;

typedef enum ah_hook_result {
  AH_HOOK_ALLOW = 0, /* carry on (with what the hook changed) */
  AH_HOOK_DENY = 1,  /* refuse with the message given to hook_deny; for deliver: drop */
  AH_HOOK_LATER = 2  /* action before hooks flagged AH_HOOK_MAY_FINISH_LATER only: the hook
                        answers with hook_finish, from any thread */
} ah_hook_result;

enum {
  /* An action before hook that may return AH_HOOK_LATER. Without it, the host keeps the
   * request on the calling thread's stack (no copy), and AH_HOOK_LATER denies. */
  AH_HOOK_MAY_FINISH_LATER = 1u << 0
};

/* Runs a hook. Thread: the connection's I/O thread for connection and chat hooks started by
 * a client; the calling thread for chat changes a plugin makes; the answering thread for
 * action after hooks. The hook may read and set its fields (hook_get, hook_set) and look at
 * its connection (hook_connection). A hook that fails to answer properly denies. */
typedef ah_hook_result (*ah_hook_fn)(void* user, ah_hook* hook);

typedef struct ah_hook_def {
  uint32_t size;    /* sizeof(ah_hook_def) as the plugin was built */
  int32_t kind;     /* ah_hook_kind */
  int32_t priority; /* lower runs first; ties in plugin load order. Use 100 by default */
  /* Action hooks: the actions it applies to (NUL-terminated names), or none for all. */
  const char* const* actions;
  size_t action_count;
  ah_hook_fn run;
  void* user;
  uint32_t flags; /* AH_HOOK_* */
} ah_hook_def;

/* ------------------------------------------------------------------ host services --- */

typedef struct ah_host_api {
  uint32_t abi_version; /* AH_ABI_VERSION of the host */
  uint32_t size;        /* sizeof(ah_host_api) in the host: entries past it do not exist */

  /* ---- Registration: during on_load only (manager thread). The host copies the
   * definition; its pointers need only last the call. AH_ERR_INVALID names the problem in
   * the plugin's refusal line. */
  ah_status (*register_action)(ah_plugin* plugin, const ah_action_def* action);
  ah_status (*register_hook)(ah_plugin* plugin, const ah_hook_def* hook);

  /* ---- Logging, tagged with the plugin's name. Any thread. */
  void (*log)(ah_plugin* plugin, ah_log_level level, ah_str message);

  /* ---- Timers. Any thread. fire(user) after delay_ms, then every interval_ms while
   * interval_ms > 0, on a server thread, until cancelled. drop(user), when not NULL, is
   * called once when the timer is done (after its last fire, or once cancelled) to free
   * user. Writes the timer's id to *timer_id when not NULL. When this version is replaced or
   * removed and has no request running, its timers are cancelled. AH_ERR_REFUSED once the
   * plugin is being unloaded. */
  ah_status (*timer_start)(ah_plugin* plugin, uint64_t delay_ms, uint64_t interval_ms, ah_timer_fn fire,
                           ah_timer_fn drop, void* user, uint64_t* timer_id);
  /* It does not fire again (a fire running now finishes), then drop runs. AH_ERR_NOT_FOUND
   * when no such timer of this plugin is pending. */
  ah_status (*timer_cancel)(ah_plugin* plugin, uint64_t timer_id);

  /* ---- A request's params, after the pipeline (scrubbing, defaults, types, formatters,
   * validators). Any thread, until the request is answered. */
  /* The whole params object as JSON. */
  ah_status (*request_params)(ah_request* request, ah_sink sink, void* sink_context);
  /* One param's value as JSON; AH_ERR_NOT_FOUND when absent. */
  ah_status (*request_param)(ah_request* request, ah_str key, ah_sink sink, void* sink_context);
  /* A string param without a copy: *value points into the host's params, valid until the
   * request is answered. AH_ERR_NOT_FOUND when absent, AH_ERR_INVALID when not a string. */
  ah_status (*request_param_string)(ah_request* request, ah_str key, ah_str* value);
  /* A number param (integer or not). AH_ERR_NOT_FOUND / AH_ERR_INVALID as above. */
  ah_status (*request_param_number)(ah_request* request, ah_str key, double* value);
  /* The connection that made the request. */
  ah_connection* (*request_connection)(ah_request* request);

  /* ---- Answering, exactly once per request, from any thread. A second answer, or one
   * after the action timed out, returns AH_ERR_ALREADY_ANSWERED and is dropped. */
  /* Response fields as one JSON object; not an object: AH_ERR_INVALID, and the request is
   * answered with an error. */
  ah_status (*respond)(ah_request* request, ah_str response_json);
  /* Answers "Error: MESSAGE". */
  ah_status (*fail)(ah_request* request, ah_str message);
  /* A writer that puts response fields straight into the answer's buffer, in order; NULL
   * when the request was answered already. Finish with respond_end (which answers), on the
   * same thread. Fields named context, messageCount or messageId are the server's and
   * are skipped. */
  ah_writer* (*respond_begin)(ah_request* request);
  void (*write_json)(ah_writer* writer, ah_str key, ah_str value_json); /* value: valid JSON */
  void (*write_string)(ah_writer* writer, ah_str key, ah_str value);    /* value: UTF-8, escaped by the host */
  void (*write_number)(ah_writer* writer, ah_str key, double value);
  void (*write_integer)(ah_writer* writer, ah_str key, int64_t value);
  void (*write_bool)(ah_writer* writer, ah_str key, int value);
  ah_status (*respond_end)(ah_writer* writer);

  /* ---- Connections. Any thread, while the handle is valid. */
  /* {"id","remoteIP","remotePort","rooms":[...]}. */
  ah_status (*connection_info)(ah_connection* connection, ah_sink sink, void* sink_context);
  /* Connection data: JSON under a key, seen by every plugin's hooks and actions on this
   * connection, never sent to the client, dropped when it closes. AH_ERR_NOT_FOUND: unset. */
  ah_status (*connection_data_get)(ah_connection* connection, ah_str key, ah_sink sink, void* sink_context);
  /* Sets it; an empty value_json removes the key. */
  ah_status (*connection_data_set)(ah_connection* connection, ah_str key, ah_str value_json);
  /* Sends {"message":MESSAGE,"from":0,"context":"user","sentAt":MS} to the connection with
   * this id. AH_ERR_NOT_FOUND: no such connection open here. */
  ah_status (*connection_send)(ah_plugin* plugin, ah_str connection_id, ah_str message);

  /* ---- Chat. Any thread. A message sent by a plugin has "from": 0. In cluster mode (SPEC
   * §9) these wait for Redis on the calling thread (at most 2 s), answer AH_ERR_UNAVAILABLE
   * when it cannot be reached, and a connection held by another server is asked to join or
   * leave through the cluster (AH_OK once asked; the outcome is logged). */
  ah_status (*room_create)(ah_plugin* plugin, ah_str room);                    /* AH_ERR_INVALID: it exists */
  ah_status (*room_broadcast)(ah_plugin* plugin, ah_str room, ah_str message); /* NOT_FOUND: no room */
  /* Adds / removes a connection (by id): its join / leave hooks run first. On refusal the
   * reason (the verb's words, or the hook's message) is written to sink. */
  ah_status (*room_add)(ah_plugin* plugin, ah_str connection_id, ah_str room, ah_sink sink, void* sink_context);
  ah_status (*room_remove)(ah_plugin* plugin, ah_str connection_id, ah_str room, ah_sink sink,
                           void* sink_context);
  /* [{"id","joinedAt"}...] in join order; AH_ERR_NOT_FOUND: no room. */
  ah_status (*room_members)(ah_plugin* plugin, ah_str room, ah_sink sink, void* sink_context);

  /* ---- Cache (shared by every plugin), with actionhero's semantics. Any thread. In cluster
   * mode it is Redis's, shared with every server; calls wait for Redis on the calling thread
   * (at most 2 s) and answer AH_ERR_UNAVAILABLE (cache_size: -1) when it cannot be reached. */
  ah_status (*cache_save)(ah_plugin* plugin, ah_str key, ah_str value_json,
                          int64_t expire_in_ms /* 0 = never */);
  /* Writes {"key","value","expireTimestamp","createdAt","readAt"}; AH_ERR_NOT_FOUND or
   * AH_ERR_EXPIRED otherwise. */
  ah_status (*cache_load)(ah_plugin* plugin, ah_str key, ah_sink sink, void* sink_context);
  ah_status (*cache_destroy)(ah_plugin* plugin, ah_str key); /* AH_OK, or AH_ERR_NOT_FOUND */
  int64_t (*cache_size)(ah_plugin* plugin);
  /* Adds `by` to the integer under key (a missing or expired key counts as 0; its expiry is
   * kept) and writes the new value; AH_ERR_INVALID when the value is not an integer,
   * AH_ERR_REFUSED when the cache is full. */
  ah_status (*cache_increment)(ah_plugin* plugin, ah_str key, int64_t by, int64_t* value);

  /* ---- The server. Any thread. */
  /* What the status action reports (SPEC §4.4, §8). */
  ah_status (*server_status)(ah_plugin* plugin, ah_sink sink, void* sink_context);
  /* {NAME:{"VERSION":{"name","version","description","inputs","outputExample"}}} */
  ah_status (*documentation)(ah_plugin* plugin, ah_sink sink, void* sink_context);

  /* ---- Hook calls (ah_hook_def). During the hook (or until hook_finish). */
  /* A field's value as JSON (the fields of each kind are listed with ah_hook_kind). */
  ah_status (*hook_get)(ah_hook* hook, ah_str field, ah_sink sink, void* sink_context);
  /* Changes a settable field; AH_ERR_INVALID when the field cannot be set or the JSON is
   * not of its type. For after hooks: "error" a string fails the answer, null clears it. */
  ah_status (*hook_set)(ah_hook* hook, ah_str field, ah_str value_json);
  /* The connection the hook is about (NULL for none). */
  ah_connection* (*hook_connection)(ah_hook* hook);
  /* The message a deny answers with ("Error: " is added for actions). */
  void (*hook_deny)(ah_hook* hook, ah_str message);
  /* Ends an action before hook that returned AH_HOOK_LATER: allow or deny (with message).
   * Any thread, once. */
  ah_status (*hook_finish)(ah_hook* hook, ah_hook_result result, ah_str message);

  /* ---- Appended after version 2 shipped: check host->size (see "Growth" above). */
  /* A string field without a copy: *value points into the host's field, valid during the
   * hook (until hook_finish for one that finishes later) or until the field is set.
   * AH_ERR_NOT_FOUND when the hook has no such field, AH_ERR_INVALID when it is not a
   * string. What a chat deliver hook reads per recipient, so it need not parse JSON. */
  ah_status (*hook_get_string)(ah_hook* hook, ah_str field, ah_str* value);
} ah_host_api;

/* ------------------------------------------------------------- plugin descriptor --- */

typedef struct ah_plugin_def {
  uint32_t abi_version; /* must be first: AH_ABI_VERSION the plugin was built with */
  uint32_t size;        /* sizeof(ah_plugin_def) as the plugin was built */
  const char* name;     /* NUL-terminated; its settings are [plugins.config.NAME] */
  const char* version;  /* NUL-terminated, e.g. "1.0.0" */
  /* Manager thread, once, before anything of the plugin is published. Register actions and
   * hooks here. settings_json is the plugin's [plugins.config.NAME] table as a JSON object
   * ({} when there is none), valid during the call. Return AH_OK, or another status with a
   * reason written to sink to refuse the load (nothing it registered is published). */
  ah_status (*on_load)(const ah_host_api* host, ah_plugin* plugin, ah_str settings_json, ah_sink sink,
                       void* sink_context);
  /* Manager thread, once, after the plugin's last request, hook and timer, just before the
   * library is closed: stop what the plugin started (its threads). May be NULL. */
  void (*on_unload)(ah_plugin* plugin);
} ah_plugin_def;

typedef const ah_plugin_def* (*ah_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* ACTIONHOST_ABI_H */
