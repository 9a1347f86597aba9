// wrong_abi: a descriptor built for an ABI version the server does not support.
#include <actionhost/abi.h>

extern "C" __attribute__((visibility("default"))) const ah_plugin_def* actionhost_plugin_entry(void) {
  static const ah_plugin_def def = {999u, sizeof(ah_plugin_def), "wrongAbi", "1.0.0", nullptr, nullptr};
  return &def;
}
