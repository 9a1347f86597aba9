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
// Header-only, over the C ABI in abi.h (version 2): nothing C++ crosses into the server.
// Every entry point the server calls catches everything; an exception thrown by an action
// (or by its formatter, validator or hook) becomes its error answer, or its hook's deny. An
// action answers now (`run` returns the response) or later (`run_async` gets a Request to
// answer from any thread, exactly once — later answers are ignored and reported as false).
// A Request whose last copy is dropped unanswered answers "Error: the action did not answer".
//
// Beside actions, a plugin may add hooks (before/after every action or named ones,
// connection open/close, chat join/leave/say/deliver/member), read its settings
// ([plugins.config.NAME] in the server's TOML: settings()), look at and attach data to the
// calling connection (Connection), and use the cache, chat and timers. Threads: actions and
// hooks run on server threads; everything here may be called from any thread.
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

// The plugin's [plugins.config.NAME] settings, handed over at on_load.
inline nlohmann::ordered_json& settings_storage() {
  static nlohmann::ordered_json settings = nlohmann::ordered_json::object();
  return settings;
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

// An exception as a message a client can act on. The standard library's conversions
// (std::stoi, std::stod, ...) throw with only their function's name: say what went wrong.
inline std::string describe_exception() {
  auto is_bare_name = [](const std::string& what) {
    return !what.empty() && what.find(' ') == std::string::npos;
  };
  try {
    throw;
  } catch (const std::invalid_argument& e) {
    return is_bare_name(e.what()) ? std::string("a value is not a valid number (") + e.what() + ")" : e.what();
  } catch (const std::out_of_range& e) {
    return is_bare_name(e.what()) ? std::string("a value is out of range (") + e.what() + ")" : e.what();
  } catch (const json::exception& e) {
    return std::string("invalid JSON value: ") + e.what();
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

}  // namespace detail

// A client connection as a plugin sees it, during the call that handed it over (an action's
// Request, until answered; a hook, during the hook).
class Connection {
 public:
  explicit Connection(ah_connection* handle = nullptr) : handle_(handle) {}
  explicit operator bool() const { return handle_ != nullptr; }

  // {"id","remoteIP","remotePort","rooms"}.
  json info() const {
    std::string text;
    if (!handle_ || detail::host().connection_info(handle_, detail::append_to_string, &text) != AH_OK)
      return json();
    return json::parse(text);
  }
  std::string id() const { return info().value("id", std::string()); }
  std::string remote_ip() const { return info().value("remoteIP", std::string()); }
  int remote_port() const { return info().value("remotePort", 0); }
  std::vector<std::string> rooms() const {
    json i = info();
    return i.is_object() ? i["rooms"].get<std::vector<std::string>>() : std::vector<std::string>{};
  }

  // Connection data: shared by every plugin on this connection, never sent to the client,
  // dropped when it closes. data() is null when the key is unset.
  json data(std::string_view key) const {
    std::string text;
    if (!handle_ || detail::host().connection_data_get(handle_, detail::to_str(key), detail::append_to_string,
                                                       &text) != AH_OK) {
      return json();
    }
    return json::parse(text);
  }
  bool set_data(std::string_view key, const json& value) const {
    std::string text = detail::dump(value);
    return handle_ &&
           detail::host().connection_data_set(handle_, detail::to_str(key), detail::to_str(text)) == AH_OK;
  }
  bool erase_data(std::string_view key) const {
    return handle_ && detail::host().connection_data_set(handle_, detail::to_str(key), {nullptr, 0}) == AH_OK;
  }

  ah_connection* handle() const { return handle_; }

 private:
  ah_connection* handle_;
};

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

  // The connection that made the request; usable until the request is answered.
  Connection connection() const {
    return Connection(answered() ? nullptr : detail::host().request_connection(state_->handle));
  }
  // The id of the connection that made the request ("" once answered).
  std::string connection_id() const { return answered() ? std::string() : connection().id(); }

  // One param (after the pipeline) without parsing all of them: null when absent.
  json param(std::string_view key) const {
    std::string text;
    if (answered() || detail::host().request_param(state_->handle, detail::to_str(key),
                                                   detail::append_to_string, &text) != AH_OK) {
      return json();
    }
    return json::parse(text);
  }

  ah_request* handle() const { return state_->handle; }

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

// ------------------------------------------------------------------- the fast path --
// An action may skip JSON text on both sides of the boundary: `run_fast` reads its params
// one by one where the server holds them (Params) and writes its response's fields straight
// into the server's answer (Response). No params text is copied or parsed, no JSON tree is
// built and none is serialized; sdk/README.md gives the measured cost of each way.

// The request's params (after the pipeline), read by name. Valid during run_fast.
class Params {
 public:
  explicit Params(ah_request* handle) : handle_(handle) {}

  // A string param, pointing into the server's copy (valid during run_fast); nullopt when
  // absent or not a string.
  std::optional<std::string_view> string(std::string_view key) const {
    ah_str value{};
    if (detail::host().request_param_string(handle_, detail::to_str(key), &value) != AH_OK) return std::nullopt;
    return std::string_view(value.data, value.size);
  }
  // A number param (integer or not); nullopt when absent or not a number.
  std::optional<double> number(std::string_view key) const {
    double value = 0;
    if (detail::host().request_param_number(handle_, detail::to_str(key), &value) != AH_OK) return std::nullopt;
    return value;
  }
  // Any param as JSON, parsed here (objects, arrays, booleans): null when absent.
  json value(std::string_view key) const {
    std::string text;
    if (detail::host().request_param(handle_, detail::to_str(key), detail::append_to_string, &text) != AH_OK)
      return json();
    return json::parse(text);
  }
  // The connection that made the request (its id, address, rooms and data).
  Connection connection() const { return Connection(detail::host().request_connection(handle_)); }

  ah_request* handle() const { return handle_; }

 private:
  ah_request* handle_;
};

// The response, written field by field into the answer's buffer, in order. Fields named
// context, messageCount or messageId are the server's and are skipped. Nothing written
// answers {}.
class Response {
 public:
  explicit Response(ah_request* handle) : request_(handle) {}
  Response(const Response&) = delete;
  Response& operator=(const Response&) = delete;

  Response& string(std::string_view key, std::string_view value) {
    if (ah_writer* w = writer()) detail::host().write_string(w, detail::to_str(key), detail::to_str(value));
    return *this;
  }
  Response& number(std::string_view key, double value) {
    if (ah_writer* w = writer()) detail::host().write_number(w, detail::to_str(key), value);
    return *this;
  }
  Response& integer(std::string_view key, std::int64_t value) {
    if (ah_writer* w = writer()) detail::host().write_integer(w, detail::to_str(key), value);
    return *this;
  }
  Response& boolean(std::string_view key, bool value) {
    if (ah_writer* w = writer()) detail::host().write_bool(w, detail::to_str(key), value ? 1 : 0);
    return *this;
  }
  // Any JSON value (serialized here).
  Response& value(std::string_view key, const json& any) { return json_text(key, detail::dump(any)); }
  // A value that is JSON text already (checked by the server: invalid JSON fails the answer).
  Response& json_text(std::string_view key, std::string_view value_json) {
    if (ah_writer* w = writer()) detail::host().write_json(w, detail::to_str(key), detail::to_str(value_json));
    return *this;
  }
  // The whole response as one JSON object's text (a host call's result, say), passed on as
  // is: instead of fields, not after them.
  void object_text(std::string_view object_json) {
    if (writer_ || whole_) throw std::logic_error("Response::object_text: the response was written already");
    whole_ = true;
    detail::host().respond(request_, detail::to_str(object_json));
  }

  // Sends what was written (called by the SDK once run_fast returns).
  void finish() {
    if (whole_) return;
    if (ah_writer* w = writer()) detail::host().respond_end(w);
  }

 private:
  // Begun on the first field; null when the request was answered already (timed out), and
  // then what is written is dropped, as the late answer would be.
  ah_writer* writer() {
    if (whole_) throw std::logic_error("Response: a field written after object_text()");
    if (!begun_) {
      begun_ = true;
      writer_ = detail::host().respond_begin(request_);
    }
    return writer_;
  }

  ah_request* request_;
  ah_writer* writer_ = nullptr;
  bool begun_ = false;
  bool whole_ = false;
};

// An input's declared type: a socket param (always text) is converted to it before its
// formatter runs, and one that does not convert is answered "Error: KEY should be a TYPE".
enum class Type {
  any = AH_TYPE_ANY,
  string = AH_TYPE_STRING,
  integer = AH_TYPE_INTEGER,
  number = AH_TYPE_NUMBER,
  boolean = AH_TYPE_BOOLEAN,
  object = AH_TYPE_OBJECT,
  array = AH_TYPE_ARRAY
};

struct Input {
  std::string name;
  bool required = false;
  std::optional<json> default_value;
  // Rewrites the value before validation (e.g. a string to a number).
  std::function<json(const json& value)> formatter;
  // nullopt when the value is valid; otherwise the error message.
  std::function<std::optional<std::string>(const json& value)> validator;
  Type type = Type::any;
};

struct Action {
  std::string name;
  int version = 1;
  std::string description;
  json output_example = json::object();
  std::vector<Input> inputs;
  // true: run on the server's worker pool, so it may block (file or network I/O, heavy CPU).
  bool blocking = false;
  // Answer now: return the response fields. Set exactly one of run, run_async,
  // run_with_connection and run_fast.
  std::function<json(const json& params)> run;
  // Answer later: keep the Request and answer it once, from any thread.
  std::function<void(const json& params, Request request)> run_async;
  // Answer now, seeing the calling connection (its id, address, rooms and data).
  std::function<json(const json& params, const Connection& connection)> run_with_connection;
  // Answer now, on the fast path: read params by name, write the response's fields.
  std::function<void(const Params& params, Response& response)> run_fast;
  // This action's own timeout; zero: the server's actions.timeout_ms.
  std::chrono::milliseconds timeout{0};
};

// Thrown from a hook to deny with a message (any exception does the same).
struct Deny : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Where a hook applies and when it runs.
struct HookOptions {
  int priority = 100;                // lower runs first; ties in plugin load order
  std::vector<std::string> actions;  // action hooks: the actions it applies to; empty = all
};

namespace detail {
// Fetches a hook's field as JSON (null when it has none).
inline json hook_field(ah_hook* hook, std::string_view field) {
  std::string text;
  if (host().hook_get(hook, to_str(field), append_to_string, &text) != AH_OK) return json();
  return json::parse(text);
}
// A string field as the host holds it, without a copy: nullopt when the host does not offer
// hook_get_string (one older than this SDK) or the field is not a string.
inline std::optional<std::string_view> hook_view(ah_hook* hook, std::string_view field) {
  const ah_host_api& table = host();
  if (table.size < offsetof(ah_host_api, hook_get_string) + sizeof(table.hook_get_string)) return std::nullopt;
  ah_str value{};
  if (table.hook_get_string(hook, to_str(field), &value) != AH_OK) return std::nullopt;
  return std::string_view(value.data, value.size);
}
// A field, without a parse when it is a string the host lends (hook_view).
inline json hook_value(ah_hook* hook, std::string_view field) {
  if (auto view = hook_view(hook, field)) return json(std::string(*view));
  return hook_field(hook, field);
}
inline std::string hook_string(ah_hook* hook, std::string_view field) {
  if (auto view = hook_view(hook, field)) return std::string(*view);
  json value = hook_field(hook, field);
  return value.is_string() ? value.get<std::string>() : std::string();
}
inline bool set_hook_field(ah_hook* hook, std::string_view field, const json& value) {
  std::string text = dump(value);
  return host().hook_set(hook, to_str(field), to_str(text)) == AH_OK;
}
}  // namespace detail

// The request an action `before` hook looks at: its action's name, its params (change them
// and the change goes on through the param pipeline) and its connection. Deny by throwing.
// From before_async, finish with allow() or deny() once, from any thread; dropped
// unfinished, it denies with "the before hook did not finish".
class BeforeAction {
 public:
  explicit BeforeAction(ah_hook* hook, bool later = false) : state_(std::make_shared<State>(hook, later)) {}

  // The action's name and its params are fetched on first use; ask for them before allow()
  // or deny() (after that the hook's handle is gone: they are then empty). Changes to the
  // params are handed back when the hook returns (or at allow()). A synchronous hook's
  // BeforeAction is valid during the hook only.
  const std::string& action() const {
    if (!state_->action) {
      state_->action = state_->finished ? std::string()
                                        : detail::hook_field(state_->hook, "action").get<std::string>();
    }
    return *state_->action;
  }
  json& params() const {
    if (!state_->params)
      state_->params = state_->finished ? json::object() : detail::hook_field(state_->hook, "params");
    return *state_->params;
  }
  // The calling connection; empty once the hook is finished.
  Connection connection() const {
    return Connection(state_->finished ? nullptr : detail::host().hook_connection(state_->hook));
  }

  void allow() const { state_->finish(AH_HOOK_ALLOW, {}); }
  void deny(std::string_view message) const { state_->finish(AH_HOOK_DENY, message); }

  // For the SDK: hands changed params back.
  void hand_back() const { state_->hand_back(); }

 private:
  struct State {
    State(ah_hook* h, bool l) : hook(h), later(l) {}
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() {
      if (later && !finished.exchange(true)) {
        constexpr std::string_view message = "the before hook did not finish";
        try {
          detail::host().hook_finish(hook, AH_HOOK_DENY, detail::to_str(message));
        } catch (...) {
        }
      }
    }
    void hand_back() {
      if (params) detail::set_hook_field(hook, "params", *params);
    }
    void finish(ah_hook_result result, std::string_view message) {
      // In a synchronous before hook, deny() denies as throwing does; allow() is returning.
      if (!later) {
        if (result == AH_HOOK_DENY) throw Deny(std::string(message));
        return;
      }
      if (finished.exchange(true)) return;
      try {
        if (result == AH_HOOK_ALLOW) hand_back();
      } catch (...) {
      }
      detail::host().hook_finish(hook, result, detail::to_str(message));
    }
    ah_hook* hook;
    bool later;
    std::atomic<bool> finished{false};
    std::optional<std::string> action;
    std::optional<json> params;
  };
  std::shared_ptr<State> state_;
};

// An action's answer, as its `after` hooks see it: change the response, or set or clear
// the error (then the answer is "Error: " + error).
struct AfterAction {
  std::string action;
  json params;
  json response;                     // null when the action failed
  std::optional<std::string> error;  // set when it failed
  Connection connection;
};

// A connection joining or leaving a room (before the change; throw to deny).
struct RoomChange {
  std::string room;
  Connection connection;
};

// A message a client says in a room, once as it is received: change `message`, or throw to
// refuse it (nobody receives it, and the client's say answers the error).
struct SayMessage {
  std::string room;
  std::string message;
  Connection connection;  // who says it
};

// A message about to reach one member of a room: change `message` for this recipient, or
// return false from the hook to drop it. `from` is the sender's id, or 0 for the server.
struct Delivery {
  std::string room;
  std::string message;
  json from;
  Connection recipient;
};

// A member's record in a roomView answer: add fields to `fields`.
struct MemberRecord {
  std::string room;
  Connection member;
  json fields = json::object();
};

class Plugin {
 public:
  // A hook as the C ABI calls it; built by the methods below.
  struct HookEntry {
    ah_hook_kind kind;
    HookOptions options;
    std::function<ah_hook_result(ah_hook*)> run;
    bool may_finish_later = false;
  };

  void action(Action definition) { actions_.push_back(std::move(definition)); }

  // Before an action's params are checked (for every action, or options.actions): read or
  // change hook.params(), or throw to deny (the answer is "Error: " + the message).
  void before(std::function<void(BeforeAction& hook)> hook, HookOptions options = {}) {
    add_hook(AH_HOOK_ACTION_BEFORE, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      BeforeAction call(h);
      hook(call);
      call.hand_back();
      return AH_HOOK_ALLOW;
    });
  }
  // The same, finished later: keep the BeforeAction and call allow() or deny() once, from
  // any thread (e.g. after asking another service).
  void before_async(std::function<void(BeforeAction hook)> hook, HookOptions options = {}) {
    add_hook(
        AH_HOOK_ACTION_BEFORE, std::move(options),
        [hook = std::move(hook)](ah_hook* h) {
          BeforeAction call(h, true);
          try {
            hook(call);
          } catch (...) {
            call.deny(detail::describe_exception());  // a throw denies with its message
          }
          return AH_HOOK_LATER;
        },
        true);
  }
  // After an action answered or failed, before the answer is sent: change it.
  void after(std::function<void(AfterAction& answer)> hook, HookOptions options = {}) {
    add_hook(AH_HOOK_ACTION_AFTER, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      json error = detail::hook_field(h, "error");
      AfterAction answer{detail::hook_field(h, "action").get<std::string>(), detail::hook_field(h, "params"),
                         detail::hook_field(h, "response"),
                         error.is_string() ? std::optional<std::string>(error.get<std::string>())
                                           : std::nullopt,
                         Connection(detail::host().hook_connection(h))};
      hook(answer);
      if (answer.response.is_object()) detail::set_hook_field(h, "response", answer.response);
      detail::set_hook_field(h, "error", answer.error ? json(*answer.error) : json());
      return AH_HOOK_ALLOW;
    });
  }
  // A connection opened (after its welcome line) / closed (after leaving its rooms).
  void on_connect(std::function<void(const Connection& connection)> hook, HookOptions options = {}) {
    add_hook(AH_HOOK_CONNECTION_OPEN, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      hook(Connection(detail::host().hook_connection(h)));
      return AH_HOOK_ALLOW;
    });
  }
  void on_disconnect(std::function<void(const Connection& connection, const std::string& reason)> hook,
                     HookOptions options = {}) {
    add_hook(AH_HOOK_CONNECTION_CLOSE, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      hook(Connection(detail::host().hook_connection(h)), detail::hook_field(h, "reason").get<std::string>());
      return AH_HOOK_ALLOW;
    });
  }
  // Before a connection joins / leaves a room: throw to deny.
  void on_join(std::function<void(const RoomChange& change)> hook, HookOptions options = {}) {
    add_room_hook(AH_HOOK_CHAT_JOIN, std::move(hook), std::move(options));
  }
  void on_leave(std::function<void(const RoomChange& change)> hook, HookOptions options = {}) {
    add_room_hook(AH_HOOK_CHAT_LEAVE, std::move(hook), std::move(options));
  }
  // A message said in a room, once: change it, or throw to refuse it.
  void on_say(std::function<void(SayMessage& message)> hook, HookOptions options = {}) {
    add_hook(AH_HOOK_CHAT_SAY, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      SayMessage said{detail::hook_field(h, "room").get<std::string>(),
                      detail::hook_field(h, "message").get<std::string>(),
                      Connection(detail::host().hook_connection(h))};
      const std::string original = said.message;
      hook(said);
      if (said.message != original) detail::set_hook_field(h, "message", said.message);
      return AH_HOOK_ALLOW;
    });
  }
  // A message about to reach one recipient: change it, or return false to drop it.
  void on_deliver(std::function<bool(Delivery& delivery)> hook, HookOptions options = {}) {
    add_hook(AH_HOOK_CHAT_DELIVER, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      // Per recipient: the message is read without a parse, and compared afterwards with the
      // host's own text rather than a copy.
      const std::optional<std::string_view> original = detail::hook_view(h, "message");
      Delivery delivery{detail::hook_string(h, "room"),
                        original ? std::string(*original) : detail::hook_string(h, "message"),
                        detail::hook_value(h, "from"), Connection(detail::host().hook_connection(h))};
      const std::string copy = original ? std::string() : delivery.message;
      if (!hook(delivery)) return AH_HOOK_DENY;
      if (delivery.message != (original ? *original : std::string_view(copy))) {
        detail::set_hook_field(h, "message", delivery.message);
      }
      return AH_HOOK_ALLOW;
    });
  }
  // A member's record in roomView: add fields.
  void on_member(std::function<void(MemberRecord& record)> hook, HookOptions options = {}) {
    add_hook(AH_HOOK_CHAT_MEMBER, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      MemberRecord record{detail::hook_field(h, "room").get<std::string>(),
                          Connection(detail::host().hook_connection(h))};
      hook(record);
      for (const auto& [key, value] : record.fields.items()) detail::set_hook_field(h, key, value);
      return AH_HOOK_ALLOW;
    });
  }
  // Runs when the server loads the plugin; throw to refuse the load (the message is logged).
  void on_load(std::function<void()> hook) { on_load_ = std::move(hook); }
  // Runs after the plugin's last request, before the library is closed. Must not throw.
  void on_unload(std::function<void()> hook) { on_unload_ = std::move(hook); }

  const std::vector<Action>& actions() const { return actions_; }
  const std::vector<HookEntry>& hooks() const { return hooks_; }
  const std::function<void()>& load_hook() const { return on_load_; }
  const std::function<void()>& unload_hook() const { return on_unload_; }

 private:
  void add_hook(ah_hook_kind kind, HookOptions options, std::function<ah_hook_result(ah_hook*)> run,
                bool may_finish_later = false) {
    hooks_.push_back({kind, std::move(options), std::move(run), may_finish_later});
  }
  void add_room_hook(ah_hook_kind kind, std::function<void(const RoomChange&)> hook, HookOptions options) {
    add_hook(kind, std::move(options), [hook = std::move(hook)](ah_hook* h) {
      hook(RoomChange{detail::hook_field(h, "room").get<std::string>(),
                      Connection(detail::host().hook_connection(h))});
      return AH_HOOK_ALLOW;
    });
  }

  std::vector<Action> actions_;
  std::vector<HookEntry> hooks_;
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

// The plugin's settings: its [plugins.config.NAME] table in the server's config, as JSON
// ({} when there is none). Available from on_load on.
inline const json& settings() { return detail::settings_storage(); }

namespace cache {
// Every call below throws "the cluster is unavailable" in cluster mode while Redis cannot be
// reached (an action then answers "Error: the cluster is unavailable").
namespace detail_unavailable {
inline void check(ah_status status) {
  if (status == AH_ERR_UNAVAILABLE) throw std::runtime_error("the cluster is unavailable");
}
}  // namespace detail_unavailable

// Saves `value` under `key`; expire_in of zero keeps it until destroyed. Throws "cache is
// full" when the server's cache.max_bytes would be passed (an action then answers
// "Error: cache is full"); false for other failures.
inline bool save(std::string_view key, const json& value,
                 std::chrono::milliseconds expire_in = std::chrono::milliseconds(0)) {
  std::string text = detail::dump(value);
  const ah_status status = detail::host().cache_save(detail::plugin_handle(), detail::to_str(key),
                                                     detail::to_str(text), expire_in.count());
  detail_unavailable::check(status);
  if (status == AH_ERR_REFUSED) throw std::runtime_error("cache is full");
  return status == AH_OK;
}
// {"key","value","expireTimestamp","createdAt","readAt"}; throws "Object not found" or
// "Object expired" (as actionhero's cache does), which an action turns into its error.
inline json load(std::string_view key) {
  std::string text;
  switch (detail::host().cache_load(detail::plugin_handle(), detail::to_str(key), detail::append_to_string,
                                    &text)) {
    case AH_OK:
      return json::parse(text);
    case AH_ERR_EXPIRED:
      throw std::runtime_error("Object expired");
    case AH_ERR_UNAVAILABLE:
      throw std::runtime_error("the cluster is unavailable");
    default:
      throw std::runtime_error("Object not found");
  }
}
inline bool destroy(std::string_view key) {
  const ah_status status = detail::host().cache_destroy(detail::plugin_handle(), detail::to_str(key));
  detail_unavailable::check(status);
  return status == AH_OK;
}
inline std::int64_t size() {
  const std::int64_t size = detail::host().cache_size(detail::plugin_handle());
  if (size < 0) throw std::runtime_error("the cluster is unavailable");
  return size;
}
// Adds `by` to the integer under `key` (0 when missing) atomically; the new value. Throws
// when the value there is not an integer.
inline std::int64_t increment(std::string_view key, std::int64_t by = 1) {
  std::int64_t value = 0;
  switch (detail::host().cache_increment(detail::plugin_handle(), detail::to_str(key), by, &value)) {
    case AH_OK:
      return value;
    case AH_ERR_REFUSED:
      throw std::runtime_error("cache is full");
    case AH_ERR_UNAVAILABLE:
      throw std::runtime_error("the cluster is unavailable");
    default:
      throw std::runtime_error("the cached value of " + std::string(key) + " is not an integer");
  }
}
}  // namespace cache

namespace chat {
inline bool create_room(std::string_view room) {
  return detail::host().room_create(detail::plugin_handle(), detail::to_str(room)) == AH_OK;
}
// Sends `message` to every member of `room`, "from": 0. False when there is no such room.
inline bool broadcast(std::string_view room, std::string_view message) {
  return detail::host().room_broadcast(detail::plugin_handle(), detail::to_str(room),
                                       detail::to_str(message)) == AH_OK;
}
// Adds the connection with this id to `room` (its join hooks run first): nullopt when
// done, else why not (e.g. "room does not exist", or a hook's message).
inline std::optional<std::string> add(std::string_view connection_id, std::string_view room) {
  std::string reason;
  if (detail::host().room_add(detail::plugin_handle(), detail::to_str(connection_id), detail::to_str(room),
                              detail::append_to_string, &reason) == AH_OK) {
    return std::nullopt;
  }
  return reason;
}
// Removes it (its leave hooks run first); as add().
inline std::optional<std::string> remove(std::string_view connection_id, std::string_view room) {
  std::string reason;
  if (detail::host().room_remove(detail::plugin_handle(), detail::to_str(connection_id), detail::to_str(room),
                                 detail::append_to_string, &reason) == AH_OK) {
    return std::nullopt;
  }
  return reason;
}
// [{"id","joinedAt"}...] in join order; null when there is no such room.
inline json members(std::string_view room) {
  std::string text;
  if (detail::host().room_members(detail::plugin_handle(), detail::to_str(room), detail::append_to_string,
                                  &text) != AH_OK) {
    return json();
  }
  return json::parse(text);
}
// Sends {"message","from":0,"context":"user","sentAt"} to one connection; false when it is
// not open here.
inline bool send(std::string_view connection_id, std::string_view message) {
  return detail::host().connection_send(detail::plugin_handle(), detail::to_str(connection_id),
                                        detail::to_str(message)) == AH_OK;
}
}  // namespace chat

namespace detail {
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
// server refuses (the plugin is being unloaded). The callback is destroyed, with what it
// captured, when the timer is done.
inline std::optional<TimerId> every(std::chrono::milliseconds interval, std::function<void()> callback,
                                    std::optional<std::chrono::milliseconds> first = std::nullopt) {
  if (interval.count() <= 0) return std::nullopt;
  auto* owned = new std::function<void()>(std::move(callback));
  TimerId id = 0;
  if (detail::host().timer_start(detail::plugin_handle(),
                                 static_cast<std::uint64_t>(first.value_or(interval).count()),
                                 static_cast<std::uint64_t>(interval.count()), detail::run_callback,
                                 detail::drop_callback, owned, &id) != AH_OK) {
    delete owned;
    return std::nullopt;
  }
  return id;
}

// Stops a timer of this plugin; false when it is not pending (done, or never started).
inline bool cancel(TimerId id) { return detail::host().timer_cancel(detail::plugin_handle(), id) == AH_OK; }

// Calls `callback` once after `delay`, on a server thread; no thread sleeps meanwhile. If
// this version is unloaded first, the callback never runs and is destroyed (a Request it
// captured then answers "Error: the action did not answer").
inline bool after(std::chrono::milliseconds delay, std::function<void()> callback) {
  auto* owned = new std::function<void()>(std::move(callback));
  if (detail::host().timer_start(detail::plugin_handle(), static_cast<std::uint64_t>(delay.count()), 0,
                                 detail::run_callback, detail::drop_callback, owned, nullptr) != AH_OK) {
    delete owned;
    return false;
  }
  return true;
}

namespace server {
// What the status action reports, as the server writes it (a JSON object's text).
inline std::string status_text() {
  std::string text;
  detail::host().server_status(detail::plugin_handle(), detail::append_to_string, &text);
  return text;
}
inline json status() { return json::parse(status_text()); }
inline json documentation() {
  std::string text;
  detail::host().documentation(detail::plugin_handle(), detail::append_to_string, &text);
  return json::parse(text);
}
}  // namespace server

// --------------------------------------------------------- the C descriptor, built once --

namespace detail {

inline json request_params(ah_request* handle) {
  std::string text;
  host().request_params(handle, append_to_string, &text);
  return json::parse(text);
}

inline void fail_with_exception(ah_request* handle) {
  std::string message = describe_exception();
  host().fail(handle, to_str(message));  // ignored if the action had answered already
}

inline void run_action(void* user, ah_request* handle) {
  const auto& action = *static_cast<const Action*>(user);
  if (action.run_fast) {
    try {
      Response response(handle);
      action.run_fast(Params(handle), response);
      response.finish();
    } catch (...) {
      fail_with_exception(handle);
    }
    return;
  }
  if (action.run_async) {
    Request request(handle);  // shared with the action, which answers it later
    try {
      action.run_async(request_params(handle), request);
    } catch (...) {
      request.fail(describe_exception());  // ignored if the action had answered already
    }
    return;
  }
  // Answering now needs no Request: nothing is allocated to share it.
  std::string text;
  try {
    json params = request_params(handle);
    text = dump(action.run ? action.run(params)
                           : action.run_with_connection(params, Connection(host().request_connection(handle))));
  } catch (...) {
    fail_with_exception(handle);
    return;
  }
  host().respond(handle, to_str(text));
}

inline ah_hook_result run_hook(void* user, ah_hook* hook) {
  const auto& entry = *static_cast<const Plugin::HookEntry*>(user);
  try {
    return entry.run(hook);
  } catch (...) {
    std::string message = describe_exception();
    host().hook_deny(hook, to_str(message));
    return AH_HOOK_DENY;
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

// Owns the plugin model for the library's lifetime.
struct Descriptor {
  Plugin plugin;
  ah_plugin_def def{};
};

inline Descriptor*& descriptor_instance() {
  static Descriptor* instance = nullptr;
  return instance;
}

// Registers one action with the server; the C structs need only last the call.
inline void register_action(const Action& a) {
  std::vector<std::string> defaults(a.inputs.size());
  std::vector<ah_input_def> inputs;
  for (std::size_t i = 0; i < a.inputs.size(); ++i) {
    const Input& input = a.inputs[i];
    ah_input_def in{};
    in.size = sizeof(ah_input_def);
    in.name = input.name.c_str();
    in.required = input.required ? 1 : 0;
    in.type = static_cast<std::int32_t>(input.type);
    if (input.default_value) in.default_json = (defaults[i] = dump(*input.default_value)).c_str();
    if (input.formatter) in.format = format_input, in.format_user = const_cast<Input*>(&input);
    if (input.validator) in.validate = validate_input, in.validate_user = const_cast<Input*>(&input);
    inputs.push_back(in);
  }
  std::string example = dump(a.output_example);
  ah_action_def def{};
  def.size = sizeof(ah_action_def);
  def.name = a.name.c_str();
  def.version = a.version;
  def.description = a.description.c_str();
  def.output_example_json = example.c_str();
  def.inputs = inputs.data();
  def.input_count = inputs.size();
  def.flags = a.blocking ? static_cast<std::uint32_t>(AH_ACTION_BLOCKING) : 0u;
  def.run = (a.run || a.run_async || a.run_with_connection || a.run_fast) ? run_action : nullptr;
  def.user = const_cast<Action*>(&a);
  def.timeout_ms = static_cast<std::uint64_t>(a.timeout.count() > 0 ? a.timeout.count() : 0);
  if (host().register_action(plugin_handle(), &def) != AH_OK) {
    throw std::runtime_error("the server refused action " + a.name);
  }
}

inline void register_hook(const Plugin::HookEntry& entry) {
  std::vector<const char*> names;
  for (const auto& name : entry.options.actions) names.push_back(name.c_str());
  ah_hook_def def{};
  def.size = sizeof(ah_hook_def);
  def.kind = entry.kind;
  def.priority = entry.options.priority;
  def.actions = names.data();
  def.action_count = names.size();
  def.run = run_hook;
  def.user = const_cast<Plugin::HookEntry*>(&entry);
  def.flags = entry.may_finish_later ? static_cast<std::uint32_t>(AH_HOOK_MAY_FINISH_LATER) : 0u;
  if (host().register_hook(plugin_handle(), &def) != AH_OK)
    throw std::runtime_error("the server refused a hook");
}

inline ah_status on_load(const ah_host_api* host, ah_plugin* plugin, ah_str settings, ah_sink sink,
                         void* context) {
  host_table() = host;
  plugin_handle() = plugin;
  try {
    settings_storage() = settings.size ? json::parse(settings.data, settings.data + settings.size)
                                       : json::object();
    Plugin& model = descriptor_instance()->plugin;
    if (const auto& hook = model.load_hook()) hook();
    for (const Action& action : model.actions()) register_action(action);
    for (const auto& hook : model.hooks()) register_hook(hook);
    return AH_OK;
  } catch (...) {
    std::string message = describe_exception();
    sink(context, message.data(), message.size());
    host_table() = nullptr;
    return AH_ERR_REFUSED;
  }
}

inline void on_unload(ah_plugin*) {
  try {
    if (const auto& hook = descriptor_instance()->plugin.unload_hook()) hook();
  } catch (...) {
  }
  host_table() = nullptr;
  plugin_handle() = nullptr;
}

inline void build(Descriptor& d, const char* name, const char* version) {
  d.def.abi_version = AH_ABI_VERSION;
  d.def.size = sizeof(ah_plugin_def);
  d.def.name = name;
  d.def.version = version;
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
