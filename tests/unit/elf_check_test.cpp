#include "plugins/elf_check.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace actionhost {
namespace {

std::string read_plugin() {
  std::ifstream in(ACTIONHOST_PLUGIN_DIR "/random_number.so", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(ElfCheck, AcceptsABuiltPlugin) {
  auto checked = check_elf_image(read_plugin());
  EXPECT_TRUE(checked) << checked.problem().message;
}

TEST(ElfCheck, RefusesEveryTruncation) {
  const std::string image = read_plugin();
  ASSERT_GT(image.size(), 4096u);
  for (std::size_t size : {std::size_t{0}, std::size_t{3}, std::size_t{64}, std::size_t{200}, image.size() / 2,
                           image.size() - 1}) {
    EXPECT_FALSE(check_elf_image(std::string_view(image).substr(0, size))) << "cut at " << size;
  }
}

TEST(ElfCheck, RefusesWhatIsNotASharedLibrary) {
  auto checked = check_elf_image(
      "hello, not elf at all, but long enough to hold an ELF header of 64 bytes.....");
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.problem().message, "it is not an ELF file");
}

}  // namespace
}  // namespace actionhost
