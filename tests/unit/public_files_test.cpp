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

  PublicFile read(std::string_view path, std::size_t max = 1 << 20) {
    return read_public_file(root_ / "public", path, max);
  }

  fs::path root_;
};

TEST_F(PublicFiles, ReadsFilesBelowTheRoot) {
  EXPECT_EQ(read("hello.txt").bytes, "hello\n");
  EXPECT_EQ(read("sub/inner.txt").bytes, "inner");
  EXPECT_EQ(read("sub/../hello.txt").bytes, "hello\n");
  EXPECT_EQ(read("inside.txt").bytes, "inner");  // a symlink that stays inside
}

TEST_F(PublicFiles, NeverLeavesTheRoot) {
  for (const char* path : {"../secret.txt", "sub/../../secret.txt", "escape.txt", "/etc/passwd",
                           "missing.txt", "sub", ""}) {
    EXPECT_EQ(read(path).status, PublicFile::Status::not_found) << path;
  }
}

TEST_F(PublicFiles, RefusesFilesOverTheLimit) {
  EXPECT_EQ(read("hello.txt", 3).status, PublicFile::Status::too_large);
}

}  // namespace
}  // namespace actionhost
