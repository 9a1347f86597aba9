// crasher: plugin code that kills the process, each action in its own way, for the
// supervisor (SPEC §8).
#include <actionhost/sdk.hpp>

#include <chrono>
#include <cstdlib>

using actionhost::sdk::json;

namespace {
int* volatile nowhere = nullptr;
// Not UBSan's to catch: the point is the signal, as in a build without sanitizers.
__attribute__((no_sanitize("undefined"))) void write_nowhere(int value) { *nowhere = value; }

#pragma GCC diagnostic ignored "-Winfinite-recursion"  // on purpose: it overflows the stack
int recurse(int depth) {
  volatile char frame[4096];
  frame[0] = static_cast<char>(depth);
  return recurse(depth + 1) + frame[0];
}
}  // namespace

ACTIONHOST_PLUGIN("crasher", "1.0.0") {
  plugin.action({.name = "alive", .run = [](const json&) { return json{{"alive", true}}; }});
  plugin.action({
      .name = "segfault",
      .run =
          [](const json&) {
            write_nowhere(1);
            return json::object();
          },
  });
  plugin.action({
      .name = "abort",
      .run =
          [](const json&) {
            std::abort();
            return json::object();
          },
  });
  plugin.action({
      .name = "stackOverflow",
      .run =
          [](const json&) {
            return json{{"depth", recurse(0)}};
          },
  });
  plugin.action({
      .name = "crashInTimer",
      .run =
          [](const json&) {
            actionhost::sdk::after(std::chrono::milliseconds(1), [] { write_nowhere(2); });
            return json{{"armed", true}};
          },
  });
}
