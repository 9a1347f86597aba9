#pragma once

#include <string_view>

namespace actionhost {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past
// U+10FFFF), the only text the server accepts and the only text nlohmann::json dumps.
bool is_valid_utf8(std::string_view text);

}  // namespace actionhost
