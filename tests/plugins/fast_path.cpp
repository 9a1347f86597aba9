// fast_path: actions on the SDK's fast path (run_fast: Params in, Response out), one
// behaviour each, for tests/integration/fast_path_test.cpp.
#include <actionhost/sdk.hpp>

#include <chrono>
#include <stdexcept>
#include <thread>

using actionhost::sdk::json;
using actionhost::sdk::Params;
using actionhost::sdk::Response;
using actionhost::sdk::Type;

ACTIONHOST_PLUGIN("fastPath", "1.0.0") {
  // Reads each kind of param by name and writes each kind of field back.
  plugin.action({
      .name = "fastEcho",
      .inputs = {{.name = "text"},
                 {.name = "n", .type = Type::number},
                 {.name = "list", .type = Type::array},
                 {.name = "flag", .default_value = true}},
      .run_fast =
          [](const Params& params, Response& response) {
            if (auto text = params.string("text")) response.string("text", *text);
            if (auto n = params.number("n")) response.number("n", *n).integer("rounded", static_cast<long>(*n));
            response.boolean("textIsNumber", params.number("text").has_value());
            response.value("list", params.value("list"));
            response.value("flag", params.value("flag"));
            response.json_text("raw", R"({"a":[1,2]})");
            response.string("context", "not the server's");  // skipped: the server's field
            response.string("connection", params.connection().id());
          },
  });
  plugin.action({
      .name = "fastNothing",
      .run_fast = [](const Params&, Response&) {},
  });
  plugin.action({
      .name = "fastWhole",
      .run_fast = [](const Params&, Response& response) { response.object_text(R"({"whole":true,"n":1})"); },
  });
  plugin.action({
      .name = "fastThrows",
      .run_fast =
          [](const Params&, Response& response) {
            response.string("partial", "dropped");
            throw std::runtime_error("fast boom");
          },
  });
  plugin.action({
      .name = "fastBadJson",
      .run_fast = [](const Params&, Response& response) { response.json_text("broken", "{nope"); },
  });
  // Answers on its own thread, but only after its own timeout has passed: the answer is the
  // timeout's, although no timer was armed while it ran.
  plugin.action({
      .name = "fastOverrun",
      .run_fast =
          [](const Params&, Response& response) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            response.string("late", "yes");
          },
      .timeout = std::chrono::milliseconds(100),
  });
}
