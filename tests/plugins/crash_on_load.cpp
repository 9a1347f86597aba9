// crash_on_load: crashes the server while it loads (in on_load), before it serves.
#include <actionhost/sdk.hpp>

namespace {
int* volatile nowhere = nullptr;
}  // namespace

ACTIONHOST_PLUGIN("crashOnLoad", "1.0.0") {
  plugin.on_load([] { *nowhere = 1; });
}
