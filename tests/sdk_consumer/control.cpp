// The control library: links the same code as hello.so, without the SDK's settings.
#include "greeting.hpp"

extern "C" int control_entry() { return static_cast<int>(greeting::greet("control").size()); }
