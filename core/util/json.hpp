#pragma once
// The JSON type of the server: insertion-ordered, because every answer's keys appear in the
// order SPEC §4 gives them.

#include <nlohmann/json.hpp>

namespace actionhost {

using Json = nlohmann::ordered_json;

}  // namespace actionhost
