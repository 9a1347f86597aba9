// Code shared between plugins, in the static library `greeting`.
#pragma once

#include <string>

namespace greeting {

// An inline function with a static local, and (in counting.cpp) a template's static member:
// compiled with default visibility, and without -fno-gnu-unique by GCC, each is a
// STB_GNU_UNIQUE symbol, which keeps a library from ever unloading.
inline int& greetings_made() {
  static int count = 0;
  return count;
}

std::string greet(const std::string& who);

}  // namespace greeting

// In the plain static library `counting`, which `greeting` links.
int count_call();
