#pragma once
// Checks a plugin's response text (SPEC §5: JSON crosses the ABI as text) without building
// a tree, so that a valid one can be copied into the answer line as it is.
//
// The check is strict (RFC 8259, UTF-8, surrogate pairs in \u escapes, at most 64 levels)
// and conservative: it says `spliceable` only for one object on one line whose top level
// has none of the keys the server writes itself. Anything else — invalid, multi-line,
// deeper, or carrying those keys — is left to the full parse, which gives the answer
// (or the error) it always gave.

#include <string_view>

namespace actionhost {

enum class ObjectCheck {
  spliceable,  // valid, one line, no reserved top-level key: copy it into the answer
  parse_it,    // anything else: parse it with nlohmann::json and decide from the tree
};

// `reserved` are the top-level keys that force a parse (e.g. "context", "messageCount").
ObjectCheck check_object(std::string_view text, std::initializer_list<std::string_view> reserved);

// True when `text` is one valid JSON value (of any type) on one line, by the same strict rules.
bool is_json_value_line(std::string_view text);

}  // namespace actionhost
