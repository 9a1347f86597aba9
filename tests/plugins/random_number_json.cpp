// randomNumber on the plain-JSON path (`const json&` in, `json` out): the shipped plugin as it
// was before it moved to the fast path. Built against ABI version 1's headers (abi_v1/) to
// show an old plugin still loads, and against today's for the bench that sets the two paths
// side by side (tests/bench/abi_overhead_bench.cpp).
#include <actionhost/sdk.hpp>

#include <random>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("randomNumber", "1.0.0") {
  plugin.action({
      .name = "randomNumber",
      .description = "I am an API method which will generate a random number",
      .output_example = {{"randomNumber", 0.123}},
      .run =
          [](const json&) {
            // One generator per thread: no lock; trivially destructible, so it cannot pin the library.
            thread_local std::mt19937_64 generator{std::random_device{}()};
            return json{{"randomNumber", std::uniform_real_distribution<double>(0.0, 1.0)(generator)}};
          },
  });
}
