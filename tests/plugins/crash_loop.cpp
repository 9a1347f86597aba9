// crash_loop: a thread of its own that crashes the server 1 s after every start (after it is serving, even under the sanitizers), where
// no action or timer of it is running: a crash the supervisor cannot blame on a plugin.
#include <actionhost/sdk.hpp>

#include <chrono>
#include <thread>

namespace {
int* volatile nowhere = nullptr;
__attribute__((no_sanitize("undefined"))) void crash() { *nowhere = 1; }  // a signal, not a UBSan report
}  // namespace

ACTIONHOST_PLUGIN("crashLoop", "1.0.0") {
  plugin.on_load([] {
    std::thread([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(1000));
      crash();
    }).detach();
  });
}
