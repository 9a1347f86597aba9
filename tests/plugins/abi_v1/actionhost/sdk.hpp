// actionhost C++ SDK — write an action as an ordinary C++ function over JSON.
//
//   #include <actionhost/sdk.hpp>
//   using actionhost::sdk::json;
//
//   ACTIONHOST_PLUGIN("greeter", "1.0.0") {
//     plugin.action({
//         .name = "greet",
//         .description = "says hello",
//         .inputs = {{.name = "who", .required = true}},
//         .run = [](const json& params) { return json{{"greeting", "hello " + params["who"].get<std::string>()}}; },
//     });
//   }
//
// Header-only, over the C ABI in abi.h: nothing C++ crosses into the server. Every entry
// point the server calls catches everything; an exception thrown by an action (or by its
// formatter or validator) becomes its error answer. An action answers now (`run` returns
// the response) or later (`run_async` gets a Request to answer from any thread, exactly
// once — later answers are ignored and reported as false). A Request whose last copy is
// dropped unanswered answers "Error: the action did not answer".
#pragma once

#include <actionhost/abi.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace actionhost::sdk {

// Insertion-ordered, so a response's fields go out in the order the action set them.
using json = nlohmann::ordered_json;

namespace detail {

// The host services table and this plugin's handle, set by on_load. Function-local statics
// of inline functions: the plugin is built with hidden visibility and -fno-gnu-unique, so
// these stay private to this library and do not keep it from unloading.
inline const ah_host_api*& host_table() {
  static const ah_host_api* table = nullptr;
  return table;
}
inline ah_plugin*& plugin_handle() {
  static ah_plugin* handle = nullptr;
  return handle;
}

inline const ah_host_api& host() {
  const ah_host_api* table = host_table();
  if (!table) throw std::logic_error("actionhost host services used before the plugin was loaded");
  return *table;
}

inline ah_str to_str(std::string_view text) { return {text.data(), text.size()}; }

inline void append_to_string(void* target, const char* data, std::size_t size) {
  static_cast<std::string*>(target)->append(data, size);
}

inline std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace detail

// One action call, to answer exactly once, from any thread. Copies share the same call.
class Request {
 public:
  explicit Request(ah_request* handle) : state_(std::make_shared<State>(handle)) {}

  // Answers with these response fields (a JSON object). False when already answered.
  bool respond(const json& response) const {
    if (!claim()) return false;
    std::string text = detail::dump(response);
    return detail::host().respond(state_->handle, detail::to_str(text)) == AH_OK;
  }

  // Answers "Error: MESSAGE". False when already answered.
  bool fail(std::string_view message) const {
    if (!claim()) return false;
    return detail::host().fail(state_->handle, detail::to_str(message)) == AH_OK;
  }

  bool answered() const { return state_->answered.load(); }

  // The id of the connection that made the request ("" once answered).
  std::string connection_id() const {
    std::string id;
    if (!answered()) {
      detail::host().request_connection_id(state_->handle, detail::append_to_string, &id);
    }
    return id;
  }

 private:
  struct State {
    explicit State(ah_request* h) : handle(h) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    // Every request is answered once: dropped unanswered, it fails.
    ~State() {
      if (answered.exchange(true)) return;
      constexpr std::string_view message = "the action did not answer";
      try {
        detail::host().fail(handle, detail::to_str(message));
      } catch (...) {
      }
    }
    ah_request* handle;
    std::atomic<bool> answered{false};
  };
  bool claim() const { return !state_->answered.exchange(true); }

  std::shared_ptr<State> state_;
};

struct Input {
  std::string name;
  bool required = false;
  std::optional<json> default_value;
  // Rewrites the value before validation (e.g. a string to a number).
  std::function<json(const json& value)> formatter;
  // nullopt when the value is valid; otherwise the error message.
  std::function<std::optional<std::string>(const json& value)> validator;
};

struct Action {
  std::string name;
  int version = 1;
  std::string description;
  json output_example = json::object();
  std::vector<Input> inputs;
  // true: run on the server's worker pool, so it may block (file or network I/O, heavy CPU).
  bool blocking = false;
  // Answer now: return the response fields. Set exactly one of run and run_async.
  std::function<json(const json& params)> run;
  // Answer later: keep the Request and answer it once, from any thread.
  std::function<void(const json& params, Request request)> run_async;
};

class Plugin {
 public:
  void action(Action definition) { actions_.push_back(std::move(definition)); }
  // Runs when the server loads the plugin; throw to refuse the load (the message is logged).
  void on_load(std::function<void()> hook) { on_load_ = std::move(hook); }
  // Runs after the plugin's last request, before the library is closed. Must not throw.
  void on_unload(std::function<void()> hook) { on_unload_ = std::move(hook); }

  const std::vector<Action>& actions() const { return actions_; }
  const std::function<void()>& load_hook() const { return on_load_; }
  const std::function<void()>& unload_hook() const { return on_unload_; }

 private:
  std::vector<Action> actions_;
  std::function<void()> on_load_;
  std::function<void()> on_unload_;
};

// ----------------------------------------------------------------------- host services --

namespace log {
inline void write(ah_log_level level, std::string_view message) {
  if (detail::host_table()) detail::host().log(detail::plugin_handle(), level, detail::to_str(message));
}
inline void debug(std::string_view message) { write(AH_LOG_DEBUG, message); }
inline void info(std::string_view message) { write(AH_LOG_INFO, message); }
inline void warn(std::string_view message) { write(AH_LOG_WARN, message); }
inline void error(std::string_view message) { write(AH_LOG_ERROR, message); }
}  // namespace log

namespace cache {
// Saves `value` under `key`; expire_in of zero keeps it until destroyed.
inline bool save(std::string_view key, const json& value,
                 std::chrono::milliseconds expire_in = std::chrono::milliseconds(0)) {
  std::string text = detail::dump(value);
  return detail::host().cache_save(detail::to_str(key), detail::to_str(text), expire_in.count()) == AH_OK;
}
// {"key","value","expireTimestamp","createdAt","readAt"}; throws "Object not found" or
// "Object expired" (as actionhero's cache does), which an action turns into its error.
inline json load(std::string_view key) {
  std::string text;
  switch (detail::host().cache_load(detail::to_str(key), detail::append_to_string, &text)) {
    case AH_OK:
      return json::parse(text);
    case AH_ERR_EXPIRED:
      throw std::runtime_error("Object expired");
    default:
      throw std::runtime_error("Object not found");
  }
}
inline bool destroy(std::string_view key) { return detail::host().cache_destroy(detail::to_str(key)) == AH_OK; }
inline std::int64_t size() { return detail::host().cache_size(); }
}  // namespace cache

namespace chat {
inline bool create_room(std::string_view room) {
  return detail::host().room_create(detail::to_str(room)) == AH_OK;
}
// Sends `message` to every member of `room`, "from": 0. False when there is no such room.
inline bool broadcast(std::string_view room, std::string_view message) {
  return detail::host().room_broadcast(detail::to_str(room), detail::to_str(message)) == AH_OK;
}
}  // namespace chat

namespace detail {
// True when the server's table has the entry at `offset` (entries are only ever appended).
inline bool host_offers(std::size_t offset) { return host().size >= offset + sizeof(void (*)()); }

inline void run_callback(void* user) {
  try {
    (*static_cast<std::function<void()>*>(user))();
  } catch (const std::exception& e) {
    log::error(std::string("timer callback threw: ") + e.what());
  } catch (...) {
    log::error("timer callback threw");
  }
}
inline void drop_callback(void* user) { delete static_cast<std::function<void()>*>(user); }

// For a host without timer_every: runs the one-shot callback, then frees it.
inline void fire_timer(void* user) {
  run_callback(user);
  drop_callback(user);
}
}  // namespace detail

// Wall-clock milliseconds since the Unix epoch, the unit of every timestamp on the wire.
inline std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// A timer's id, for cancel().
using TimerId = std::uint64_t;

// Calls `callback` every `interval` (first after `first`, by default `interval`), on a
// server thread, until cancel(id) or until this version is unloaded; nullopt when the
// server refuses (an older server, or the plugin is being unloaded). The callback is
// destroyed, with what it captured, when the timer is done.
inline std::optional<TimerId> every(std::chrono::milliseconds interval, std::function<void()> callback,
                                    std::optional<std::chrono::milliseconds> first = std::nullopt) {
  if (!detail::host_offers(offsetof(ah_host_api, timer_every)) || interval.count() <= 0) return std::nullopt;
  auto* owned = new std::function<void()>(std::move(callback));
  TimerId id = 0;
  if (detail::host().timer_every(detail::plugin_handle(),
                                 static_cast<std::uint64_t>(first.value_or(interval).count()),
                                 static_cast<std::uint64_t>(interval.count()), detail::run_callback,
                                 detail::drop_callback, owned, &id) != AH_OK) {
    delete owned;
    return std::nullopt;
  }
  return id;
}

// Stops a timer of this plugin; false when it is not pending (done, or never started).
inline bool cancel(TimerId id) {
  return detail::host_offers(offsetof(ah_host_api, timer_cancel)) &&
         detail::host().timer_cancel(detail::plugin_handle(), id) == AH_OK;
}

// Calls `callback` once after `delay`, on a server thread; no thread sleeps meanwhile. If
// this version is unloaded first, the callback never runs and is destroyed (a Request it
// captured then answers "Error: the action did not answer").
inline bool after(std::chrono::milliseconds delay, std::function<void()> callback) {
  auto* owned = new std::function<void()>(std::move(callback));
  const auto delay_ms = static_cast<std::uint64_t>(delay.count());
  ah_status status =
      detail::host_offers(offsetof(ah_host_api, timer_every))
          ? detail::host().timer_every(detail::plugin_handle(), delay_ms, 0, detail::run_callback,
                                       detail::drop_callback, owned, nullptr)
          : detail::host().timer_start(detail::plugin_handle(), delay_ms, detail::fire_timer, owned);
  if (status != AH_OK) {
    delete owned;
    return false;
  }
  return true;
}

namespace server {
inline json status() {
  std::string text;
  detail::host().server_status(detail::append_to_string, &text);
  return json::parse(text);
}
inline json documentation() {
  std::string text;
  detail::host().documentation(detail::append_to_string, &text);
  return json::parse(text);
}
}  // namespace server

// --------------------------------------------------------- the C descriptor, built once --

namespace detail {

inline std::string describe_exception() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

inline void run_action(void* user, ah_request* handle, ah_str params_json) {
  const auto& action = *static_cast<const Action*>(user);
  Request request(handle);
  try {
    json params = json::parse(params_json.data, params_json.data + params_json.size);
    if (action.run) {
      request.respond(action.run(params));
    } else {
      action.run_async(params, request);
    }
  } catch (...) {
    request.fail(describe_exception());  // ignored if the action had answered already
  }
}

inline ah_status format_input(void* user, ah_str value_json, ah_sink sink, void* context) {
  const auto& input = *static_cast<const Input*>(user);
  try {
    json value = json::parse(value_json.data, value_json.data + value_json.size);
    std::string text = dump(input.formatter(value));
    sink(context, text.data(), text.size());
    return AH_OK;
  } catch (...) {
    std::string message = describe_exception();
    sink(context, message.data(), message.size());
    return AH_ERR_INVALID;
  }
}

inline ah_status validate_input(void* user, ah_str value_json, ah_sink sink, void* context) {
  const auto& input = *static_cast<const Input*>(user);
  std::string message;
  try {
    json value = json::parse(value_json.data, value_json.data + value_json.size);
    auto problem = input.validator(value);
    if (!problem) return AH_OK;
    message = *problem;
  } catch (...) {
    message = describe_exception();
  }
  sink(context, message.data(), message.size());
  return AH_ERR_INVALID;
}

// Owns the plugin model and the C view of it for the library's lifetime.
struct Descriptor {
  Plugin plugin;
  std::vector<std::string> texts;  // JSON texts the C structs point into
  std::vector<std::vector<ah_input_def>> inputs;
  std::vector<ah_action_def> actions;
  ah_plugin_def def{};
};

inline Descriptor*& descriptor_instance() {
  static Descriptor* instance = nullptr;
  return instance;
}

inline ah_status on_load(const ah_host_api* host, ah_plugin* plugin, ah_sink sink, void* context) {
  host_table() = host;
  plugin_handle() = plugin;
  try {
    if (const auto& hook = descriptor_instance()->plugin.load_hook()) hook();
    return AH_OK;
  } catch (...) {
    std::string message = describe_exception();
    sink(context, message.data(), message.size());
    host_table() = nullptr;
    return AH_ERR_REFUSED;
  }
}

inline void on_unload() {
  try {
    if (const auto& hook = descriptor_instance()->plugin.unload_hook()) hook();
  } catch (...) {
  }
  host_table() = nullptr;
  plugin_handle() = nullptr;
}

inline void build(Descriptor& d, const char* name, const char* version) {
  const auto& actions = d.plugin.actions();
  std::size_t text_count = actions.size();
  for (const auto& a : actions) text_count += a.inputs.size();
  d.texts.reserve(text_count);  // no reallocation: the C structs keep pointers into it
  d.inputs.resize(actions.size());
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const Action& a = actions[i];
    for (const Input& input : a.inputs) {
      ah_input_def in{};
      in.name = input.name.c_str();
      in.required = input.required ? 1 : 0;
      if (input.default_value) in.default_json = d.texts.emplace_back(dump(*input.default_value)).c_str();
      if (input.formatter) in.format = format_input, in.format_user = const_cast<Input*>(&input);
      if (input.validator) in.validate = validate_input, in.validate_user = const_cast<Input*>(&input);
      d.inputs[i].push_back(in);
    }
    ah_action_def def{};
    def.name = a.name.c_str();
    def.version = a.version;
    def.description = a.description.c_str();
    def.output_example_json = d.texts.emplace_back(dump(a.output_example)).c_str();
    def.inputs = d.inputs[i].data();
    def.input_count = d.inputs[i].size();
    def.flags = a.blocking ? static_cast<std::uint32_t>(AH_ACTION_BLOCKING) : 0u;
    def.run = (a.run || a.run_async) ? run_action : nullptr;
    def.user = const_cast<Action*>(&a);
    d.actions.push_back(def);
  }
  d.def.abi_version = AH_ABI_VERSION;
  d.def.size = sizeof(ah_plugin_def);
  d.def.name = name;
  d.def.version = version;
  d.def.actions = d.actions.data();
  d.def.action_count = d.actions.size();
  d.def.on_load = detail::on_load;
  d.def.on_unload = detail::on_unload;
}

// The body of the entry symbol: builds the descriptor on first call. Never throws.
inline const ah_plugin_def* describe(Descriptor& storage, const char* name, const char* version,
                                     void (*define)(Plugin&)) noexcept {
  try {
    if (descriptor_instance() != &storage) {
      define(storage.plugin);
      build(storage, name, version);
      descriptor_instance() = &storage;
    }
    return &storage.def;
  } catch (...) {
    return nullptr;
  }
}

}  // namespace detail
}  // namespace actionhost::sdk

// Defines the plugin: the block that follows fills `plugin` (an actionhost::sdk::Plugin).
#define ACTIONHOST_PLUGIN(NAME, VERSION)                                                                 \
  static void actionhost_define_plugin(::actionhost::sdk::Plugin& plugin);                               \
  extern "C" __attribute__((visibility("default"))) const ah_plugin_def* actionhost_plugin_entry(void) { \
    static ::actionhost::sdk::detail::Descriptor storage;                                                \
    return ::actionhost::sdk::detail::describe(storage, NAME, VERSION, &actionhost_define_plugin);       \
  }                                                                                                      \
  static void actionhost_define_plugin(::actionhost::sdk::Plugin& plugin)
