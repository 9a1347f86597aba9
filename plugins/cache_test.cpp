// cacheTest: saves, counts, loads and destroys one entry of the server's cache.
#include <actionhost/sdk.hpp>

#include <chrono>
#include <string>

using actionhost::sdk::json;
namespace cache = actionhost::sdk::cache;

namespace {

json to_string(const json& value) { return value.is_string() ? value : json(value.dump()); }

}  // namespace

ACTIONHOST_PLUGIN("cacheTest", "1.0.0") {
  plugin.action({
      .name = "cacheTest",
      .description = "I will test the internal cache functions of the API",
      .output_example = {{"cacheTestResults",
                          {{"saveResp", true},
                           {"sizeResp", 1},
                           {"loadResp",
                            {{"key", "cacheTest_key"},
                             {"value", "value"},
                             {"expireTimestamp", 1420953274716},
                             {"createdAt", 1420953269716},
                             {"readAt", nullptr}}},
                           {"deleteResp", true}}}},
      .inputs = {{.name = "key", .required = true, .formatter = to_string},
                 {.name = "value",
                  .required = true,
                  .formatter = to_string,
                  .validator = [](const json& value) -> std::optional<std::string> {
                    if (value.get<std::string>().size() < 3) return "`value` should be at least 3 letters long";
                    return std::nullopt;
                  }}},
      .run =
          [](const json& params) {
            const std::string key = "cacheTest_" + params["key"].get<std::string>();
            json results;
            results["saveResp"] = cache::save(key, params["value"], std::chrono::milliseconds(5000));
            results["sizeResp"] = cache::size();
            results["loadResp"] = cache::load(key);
            results["deleteResp"] = cache::destroy(key);
            return json{{"cacheTestResults", results}};
          },
  });
}
