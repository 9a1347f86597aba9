// randomNumber: a random number in [0, 1), as actionhero's example action.
#include <actionhost/sdk.hpp>

#include <random>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("randomNumber", "1.0.0") {
  plugin.action({
      .name = "randomNumber",
      .description = "I am an API method which will generate a random number",
      .output_example = {{"randomNumber", 0.123}},
      // The fast path: no params to read, one number written into the answer.
      .run_fast =
          [](const actionhost::sdk::Params&, actionhost::sdk::Response& response) {
            // One generator per thread: no lock; trivially destructible, so it cannot pin the library.
            thread_local std::mt19937_64 generator{std::random_device{}()};
            response.number("randomNumber", std::uniform_real_distribution<double>(0.0, 1.0)(generator));
          },
  });
}
