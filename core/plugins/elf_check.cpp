#include "plugins/elf_check.hpp"

#include <elf.h>

#include <cstring>

namespace actionhost {
namespace {

#if defined(__x86_64__)
constexpr Elf64_Half kMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr Elf64_Half kMachine = EM_AARCH64;
#else
#error "add this machine's ELF e_machine value"
#endif

bool fits(std::size_t size, std::uint64_t offset, std::uint64_t length) {
  return offset <= size && length <= size - offset;
}

}  // namespace

Result<> check_elf_image(std::string_view image) {
  if (image.size() < sizeof(Elf64_Ehdr) || std::memcmp(image.data(), ELFMAG, SELFMAG) != 0) {
    return Problem::invalid("it is not an ELF file");
  }
  Elf64_Ehdr header;
  std::memcpy(&header, image.data(), sizeof header);
  if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_machine != kMachine) {
    return Problem::invalid("it is an ELF file for another machine");
  }
  if (header.e_type != ET_DYN) return Problem::invalid("it is not a shared library (ET_DYN)");
  if (header.e_phentsize != sizeof(Elf64_Phdr) ||
      !fits(image.size(), header.e_phoff, std::uint64_t{header.e_phnum} * sizeof(Elf64_Phdr))) {
    return Problem::invalid("it is truncated (its program headers are missing)");
  }
  for (Elf64_Half i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    std::memcpy(&segment, image.data() + header.e_phoff + i * sizeof(Elf64_Phdr), sizeof segment);
    if ((segment.p_type == PT_LOAD || segment.p_type == PT_DYNAMIC) &&
        !fits(image.size(), segment.p_offset, segment.p_filesz)) {
      return Problem::invalid("it is truncated (a segment ends past the end of the file)");
    }
  }
  if (header.e_shnum > 0 &&
      !fits(image.size(), header.e_shoff, std::uint64_t{header.e_shnum} * header.e_shentsize)) {
    return Problem::invalid("it is truncated (its section headers are missing)");
  }
  return {};
}

}  // namespace actionhost
