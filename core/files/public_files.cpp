#include "files/public_files.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace actionhost {
namespace fs = std::filesystem;

namespace {

// Opens `path` relative to `root_fd`, refusing any resolution that leaves the root.
int open_beneath(int root_fd, const std::string& path, const fs::path& root) {
  open_how how{};
  how.flags = O_RDONLY | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  int fd = static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
  if (fd >= 0 || errno != ENOSYS) return fd;

  // Kernels before 5.6: resolve every symlink, then check the result is inside the root.
  std::error_code ec;
  fs::path resolved = fs::canonical(root / path, ec);
  if (ec) return -1;
  auto [root_end, unused] = std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
  if (root_end != root.end()) return -1;
  return open(resolved.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
}

}  // namespace

Result<std::string> read_public_file(const fs::path& public_dir, std::string_view path, std::size_t max_bytes) {
  const Problem not_found = Problem::not_found("That file is not found (" + std::string(path) + ")");
  if (path.empty() || path.front() == '/' || path.find('\0') != std::string_view::npos) return not_found;
  std::error_code ec;
  fs::path root = fs::canonical(public_dir, ec);
  if (ec) return not_found;
  int root_fd = open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return not_found;
  int fd = open_beneath(root_fd, std::string(path), root);
  close(root_fd);
  if (fd < 0) return not_found;

  struct stat info {};
  if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    close(fd);
    return not_found;
  }
  if (static_cast<std::size_t>(info.st_size) > max_bytes) {
    close(fd);
    return Problem::too_large("That file is too large to send (" + std::string(path) +
                              "): it is over socket.max_output_bytes");
  }
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = read(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  close(fd);
  bytes.resize(done);  // a file that shrank while read is sent as read
  return bytes;
}

}  // namespace actionhost
