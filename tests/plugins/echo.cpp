// echo: answers the params it was given, after defaults, formatters and validators.
#include <actionhost/sdk.hpp>

using actionhost::sdk::json;

ACTIONHOST_PLUGIN("echo", "1.0.0") {
  plugin.action({
      .name = "echo",
      .description = "answers its params",
      .inputs = {{.name = "word", .default_value = "hello"},
                 {.name = "number",
                  .formatter = [](const json& v) -> json {
                    return v.is_string() ? json(std::stoi(v.get<std::string>())) : v;
                  },
                  .validator = [](const json& v) -> std::optional<std::string> {
                    if (v.get<int>() > 10) return "number should be at most 10";
                    return std::nullopt;
                  }},
                 {.name = "needed", .required = true}},
      .run =
          [](const json& params) {
            return json{{"params", params}};
          },
  });
}
