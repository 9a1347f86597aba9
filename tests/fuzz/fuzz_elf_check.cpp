// The ELF check that runs on a plugin file's bytes before dlopen: any bytes give a verdict.
#include <cstdint>
#include <string_view>

#include "plugins/elf_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto checked = actionhost::check_elf_image({reinterpret_cast<const char*>(data), size});
  static_cast<void>(checked);
  return 0;
}
