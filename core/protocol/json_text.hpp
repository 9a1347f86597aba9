#pragma once
// A JSON value as text, byte for byte what nlohmann's dump(-1, ' ', false, replace) writes,
// in a fraction of its time for the values answers are made of.
//
// nlohmann's serializer decodes every string through a UTF-8 state machine, byte by byte, and
// answers::line() copied the text once more to add "\r\n"; the answers of verbs (detailsView,
// roomView…) spent most of their time there. Here a string of plain ASCII (printable, no '"'
// or '\\', the usual case) goes in with one append; anything else — a string that needs
// escaping or is not valid UTF-8, a floating-point number, binary — is handed to nlohmann
// for that one value, so the output stays the same.

#include <string>

#include "util/json.hpp"

namespace actionhost {

// Appends `value`'s text to `out`.
void append_json(std::string& out, const Json& value);

// Appends `text` as a JSON string (quoted, escaped; what is not UTF-8 replaced by U+FFFD).
void append_json_string(std::string& out, std::string_view text);

}  // namespace actionhost
