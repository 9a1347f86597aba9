#pragma once
// A sanity check of a plugin file before dlopen sees it. The dynamic loader maps a shared
// library's segments straight from the file; a truncated file (a copy cut short, a write
// still in progress) would be mapped past its end and crash the process with SIGBUS when
// touched. This refuses such files, and anything that is not a 64-bit ELF shared object
// for this machine, with the reason.

#include <string_view>

#include "util/result.hpp"

namespace actionhost {

// Success when `image` (the whole file) is a complete ELF shared object for this machine;
// otherwise an invalid Problem saying why not.
Result<> check_elf_image(std::string_view image);

}  // namespace actionhost
