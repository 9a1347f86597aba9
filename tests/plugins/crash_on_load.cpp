// crash_on_load: crashes the server while it loads (in on_load), before it serves.
#include <actionhost/sdk.hpp>

namespace {
int* volatile nowhere = nullptr;
// Not UBSan's to catch: the point is the signal, as in a build without sanitizers.
__attribute__((no_sanitize("undefined"))) void crash() { *nowhere = 1; }
}  // namespace

ACTIONHOST_PLUGIN("crashOnLoad", "1.0.0") {
  plugin.on_load([] { crash(); });
}
