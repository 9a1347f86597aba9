#include "files/public_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace actionhost {
namespace {

namespace fs = std::filesystem;

class PublicFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("actionhost-files-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(root_ / "public" / "sub");
    std::ofstream(root_ / "public" / "hello.txt") << "hello\n";
    std::ofstream(root_ / "public" / "sub" / "inner.txt") << "inner";
    std::ofstream(root_ / "secret.txt") << "secret";
    fs::create_symlink(root_ / "secret.txt", root_ / "public" / "escape.txt");
    fs::create_symlink("sub/inner.txt", root_ / "public" / "inside.txt");
  }
  void TearDown() override { fs::remove_all(root_); }

  Result<std::string> read(std::string_view path, std::size_t max = 1 << 20) {
    return read_public_file(root_ / "public", path, max);
  }

  // The file's bytes, or the problem's message when it is refused.
  std::string bytes(std::string_view path) {
    auto file = read(path);
    return file ? *file : "refused: " + file.problem().message;
  }

  fs::path root_;
};

TEST_F(PublicFiles, ReadsFilesBelowTheRoot) {
  EXPECT_EQ(bytes("hello.txt"), "hello\n");
  EXPECT_EQ(bytes("sub/inner.txt"), "inner");
  EXPECT_EQ(bytes("sub/../hello.txt"), "hello\n");
  EXPECT_EQ(bytes("inside.txt"), "inner");  // a symlink that stays inside
}

TEST_F(PublicFiles, NeverLeavesTheRoot) {
  for (const char* path :
       {"../secret.txt", "sub/../../secret.txt", "escape.txt", "/etc/passwd", "missing.txt", "sub", ""}) {
    auto file = read(path);
    ASSERT_FALSE(file) << path;
    EXPECT_EQ(file.problem().kind, Problem::Kind::not_found) << path;
    EXPECT_EQ(file.problem().message, "That file is not found (" + std::string(path) + ")");
  }
}

TEST_F(PublicFiles, RefusesFilesOverTheLimit) {
  auto file = read("hello.txt", 3);
  ASSERT_FALSE(file);
  EXPECT_EQ(file.problem().kind, Problem::Kind::too_large);
}

}  // namespace
}  // namespace actionhost
