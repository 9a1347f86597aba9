// extender: uses what ABI version 2 adds, one action or hook each, for hooks_test.cpp.
#include <actionhost/sdk.hpp>

#include <stdexcept>
#include <string>

namespace sdk = actionhost::sdk;
using sdk::json;

namespace {

const ah_host_api* g_host = nullptr;

// An action written in plain C against abi.h: its response goes through the writer.
void written_run(void*, ah_request* request) {
  ah_writer* writer = g_host->respond_begin(request);
  auto str = [](const char* text) { return ah_str{text, std::char_traits<char>::length(text)}; };
  g_host->write_string(writer, str("text"), str("line\n\"quoted\""));
  g_host->write_integer(writer, str("integer"), -42);
  g_host->write_number(writer, str("number"), 0.5);
  g_host->write_bool(writer, str("flag"), 1);
  g_host->write_json(writer, str("object"), str("{\"a\":[1,2]}"));
  g_host->write_string(writer, str("context"), str("skipped: the server's field"));
  ah_str name{};
  if (g_host->request_param_string(request, str("name"), &name) == AH_OK)
    g_host->write_string(writer, str("name"), name);
  double number = 0;
  if (g_host->request_param_number(request, str("n"), &number) == AH_OK)
    g_host->write_number(writer, str("n"), number);
  g_host->respond_end(writer);
}

}  // namespace

ACTIONHOST_PLUGIN("extender", "1.0.0") {
  plugin.on_load([] {
    g_host = &sdk::detail::host();
    ah_input_def inputs[2] = {};
    inputs[0].size = sizeof(ah_input_def);
    inputs[0].name = "name";
    inputs[1].size = sizeof(ah_input_def);
    inputs[1].name = "n";
    inputs[1].type = AH_TYPE_NUMBER;
    ah_action_def def{};
    def.size = sizeof def;
    def.name = "written";
    def.version = 1;
    def.inputs = inputs;
    def.input_count = 2;
    def.run = written_run;
    if (g_host->register_action(sdk::detail::plugin_handle(), &def) != AH_OK)
      throw std::runtime_error("written");
  });

  plugin.action({
      .name = "settings",
      .run =
          [](const json&) {
            return json{{"settings", sdk::settings()}};
          },
  });

  plugin.action({
      .name = "whoami",
      .run_with_connection =
          [](const json&, const sdk::Connection& connection) {
            json info = connection.info();
            info["tag"] = connection.data("tag");
            return info;
          },
  });

  plugin.action({
      .name = "tagMe",
      .inputs = {{.name = "tag", .required = true, .type = sdk::Type::string}},
      .run_async =
          [](const json& params, sdk::Request request) {
            // From another thread, later: the connection is still the caller's until answered.
            sdk::after(std::chrono::milliseconds(10), [request, tag = params["tag"]] {
              request.connection().set_data("tag", tag);
              request.respond({{"tagged", request.connection_id()}});
            });
          },
  });

  plugin.action({
      .name = "typed",
      .inputs = {{.name = "count", .type = sdk::Type::integer},
                 {.name = "ratio", .type = sdk::Type::number},
                 {.name = "flag", .type = sdk::Type::boolean},
                 {.name = "object", .type = sdk::Type::object},
                 {.name = "list", .type = sdk::Type::array},
                 {.name = "word", .type = sdk::Type::string}},
      .run =
          [](const json& params) {
            return json{{"params", params}};
          },
  });

  plugin.action({
      .name = "counter",
      .inputs = {{.name = "by", .default_value = 1, .type = sdk::Type::integer}},
      .run =
          [](const json& params) {
            return json{{"hits", sdk::cache::increment("hits", params["by"].get<int>())}};
          },
  });

  plugin.action({
      .name = "parseNumber",
      .inputs = {{.name = "text", .required = true}},
      .run =
          [](const json& params) {
            return json{{"number", std::stoi(params["text"].get<std::string>())}};
          },
  });

  plugin.action({
      .name = "ownTimeout",
      .run_async =
          [](const json&, sdk::Request request) {
            sdk::after(std::chrono::milliseconds(2000), [request] { request.respond({{"late", true}}); });
          },
      .timeout = std::chrono::milliseconds(200),
  });

  plugin.action({
      .name = "chatOps",
      .inputs = {{.name = "op", .required = true}, {.name = "room"}, {.name = "id"}, {.name = "message"}},
      .run =
          [](const json& params) {
            const std::string op = params["op"];
            const std::string room = params.value("room", "");
            const std::string id = params.value("id", "");
            if (op == "create") return json{{"created", sdk::chat::create_room(room)}};
            if (op == "members") return json{{"members", sdk::chat::members(room)}};
            if (op == "send") return json{{"sent", sdk::chat::send(id, params.value("message", ""))}};
            if (op == "broadcast")
              return json{{"sent", sdk::chat::broadcast(room, params.value("message", ""))}};
            auto refused = op == "add" ? sdk::chat::add(id, room) : sdk::chat::remove(id, room);
            if (refused) throw std::runtime_error(*refused);
            return json{{"done", true}};
          },
  });

  plugin.action({
      .name = "cacheOps",
      .inputs = {{.name = "op", .required = true},
                 {.name = "key"},
                 {.name = "value"},
                 {.name = "expireMs", .default_value = 0, .type = sdk::Type::integer}},
      .run =
          [](const json& params) {
            const std::string op = params["op"];
            const std::string key = params.value("key", "");
            if (op == "save") {
              return json{
                  {"saved", sdk::cache::save(key, params.value("value", json()),
                                             std::chrono::milliseconds(params["expireMs"].get<int>()))}};
            }
            if (op == "load") return json{{"loaded", sdk::cache::load(key)}};
            if (op == "destroy") return json{{"destroyed", sdk::cache::destroy(key)}};
            if (op == "increment") return json{{"value", sdk::cache::increment(key, 1)}};
            return json{{"size", sdk::cache::size()}};
          },
  });

  plugin.action({
      .name = "echoParams",
      .inputs = {{.name = "a"}, {.name = "added"}},
      .run =
          [](const json& params) {
            return json{{"params", params}};
          },
  });
  plugin.before(
      [](sdk::BeforeAction& request) {
        if (request.params().value("a", "") == "deny") throw sdk::Deny("denied a");
        if (request.params().value("a", "") == "deny2") request.deny("denied by deny()");
        request.params()["added"] = "by-hook";
      },
      {.priority = 50, .actions = {"echoParams"}});
  plugin.after([](sdk::AfterAction& answer) { answer.response["after"] = answer.action; },
               {.actions = {"echoParams"}});

  plugin.action({
      .name = "gated",
      .inputs = {{.name = "pass"}, {.name = "gate"}},
      .run =
          [](const json& params) {
            return json{{"gate", params.value("gate", "")}};
          },
  });
  plugin.before_async(
      [](sdk::BeforeAction request) {
        if (request.params().value("pass", "") == "throw") throw sdk::Deny("thrown before deciding");
        // Decides later, from a timer, as a check against another service would.
        sdk::after(std::chrono::milliseconds(20), [request] {
          if (request.params().value("pass", "") != "yes") {
            request.deny("gate closed");
            return;
          }
          request.params()["gate"] = "opened";
          request.allow();
        });
      },
      {.actions = {"gated"}});

  // Chat: a join of room "closed" is denied; says in "echo" are upper-cased once; a
  // delivery to a connection tagged "deaf" is dropped, and one to a connection tagged
  // "whisper" is lower-cased for it alone.
  plugin.on_join([](const sdk::RoomChange& change) {
    if (change.room == "closed") throw sdk::Deny("room closed is closed");
  });
  plugin.on_say([](sdk::SayMessage& said) {
    if (said.room != "echo") return;
    for (char& c : said.message) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  });
  plugin.on_deliver([](sdk::Delivery& delivery) {
    const sdk::json tag = delivery.recipient.data("tag");
    if (tag == "whisper") {
      for (char& c : delivery.message) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return tag != "deaf";
  });
  plugin.on_disconnect([](const sdk::Connection& connection, const std::string& reason) {
    sdk::log::info("extender saw " + connection.id() + " close: " + reason);
  });
  plugin.on_connect([](const sdk::Connection& connection) {
    sdk::log::info("extender saw " + connection.id() + " open from " + connection.remote_ip());
  });
}
