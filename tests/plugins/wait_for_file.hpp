// For test plugins whose action holds its thread until the test releases it by creating a
// file: a wait on a condition the test controls, not on a clock.
#pragma once

#include <chrono>
#include <filesystem>
#include <thread>

namespace actionhost::test_plugins {

// Waits until `path` exists; true if it does, false after `give_up_after` without it.
inline bool wait_for_file(const std::filesystem::path& path,
                          std::chrono::seconds give_up_after = std::chrono::seconds(60)) {
  const auto give_up = std::chrono::steady_clock::now() + give_up_after;
  while (!std::filesystem::exists(path) && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::filesystem::exists(path);
}

}  // namespace actionhost::test_plugins
