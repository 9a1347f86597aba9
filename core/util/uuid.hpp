#pragma once

#include <string>

namespace actionhost {

// A random (version 4) UUID in its canonical lower-case 8-4-4-4-12 form. Thread-safe.
std::string make_uuid_v4();

}  // namespace actionhost
