#include "support/server_process.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace actionhost::test {
namespace {

// fork + exec with stdout and stderr on one pipe; returns the pid and the read end.
std::pair<pid_t, int> spawn(const std::vector<std::string>& argv) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    dup2(fds[1], STDERR_FILENO);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(fds[1]);
  return {pid, fds[0]};
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv) {
  auto [pid, fd] = spawn(argv);
  ProcessResult result;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) result.output.append(buffer, n);
  close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = exit_code_of(status);
  return result;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "actionhost-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& contents) const {
  std::string file = path_ + "/" + name;
  std::ofstream(file, std::ios::binary) << contents;
  return file;
}

ServerProcess::ServerProcess(const std::string& config_toml, std::vector<std::string> extra_args) {
  // The shipped plugins, unless the test names its own folder.
  std::string text = config_toml;
  if (text.find("[plugins]") == std::string::npos) {
    text += "\n[plugins]\ndir = \"" ACTIONHOST_PLUGIN_DIR "\"\n";
  }
  std::string config = dir_.write("actionhost.toml", text);
  std::vector<std::string> argv = {ACTIONHOST_BINARY, "--config", config, "--set", "socket.port=0"};
  // One process, so that pid() is the server's, unless the test is about the supervisor.
  bool names_supervise = text.find("supervise") != std::string::npos;
  for (const auto& arg : extra_args)
    names_supervise = names_supervise || arg.find("supervise") != std::string::npos;
  if (!names_supervise) argv.insert(argv.end(), {"--set", "server.supervise=false"});
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  auto [pid, fd] = spawn(argv);
  pid_ = pid;
  reader_ = std::thread([this, fd = fd] { read_output(fd); });

  const std::regex listening("listening on [^ ]*:([0-9]+)");
  std::unique_lock lock(mutex_);
  std::smatch match;
  bool found = changed_.wait_for(lock, 15s, [&] {
    for (const auto& line : lines_) {
      if (std::regex_search(line, match, listening)) return true;
    }
    return output_closed_;
  });
  if (!found || match.empty()) {
    std::string output;
    for (const auto& line : lines_) output += line + "\n";
    lock.unlock();
    stop(SIGKILL);
    throw std::runtime_error("actionhost did not start listening; its output:\n" + output);
  }
  port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
}

// Every test ends with a graceful shutdown, so that each one also checks that the server
// exits 0: under the sanitizer build, an ASan or UBSan report makes the exit code non-zero.
ServerProcess::~ServerProcess() {
  if (pid_ > 0) {
    int code = stop(SIGTERM);
    if (code != 0) ADD_FAILURE() << "actionhost exited with " << code << "; its output:\n" << log();
  }
  if (reader_.joinable()) reader_.join();
  if (count_log("runtime error:") > 0) ADD_FAILURE() << "UBSan report:\n" << log();
  if (count_log("WARNING: ThreadSanitizer:") > 0) ADD_FAILURE() << "ThreadSanitizer report:\n" << log();
}

void ServerProcess::read_output(int fd) {
  std::string pending;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    pending.append(buffer, n);
    std::size_t end;
    std::lock_guard lock(mutex_);
    while ((end = pending.find('\n')) != std::string::npos) {
      lines_.push_back(pending.substr(0, end));
      pending.erase(0, end + 1);
    }
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  if (!pending.empty()) lines_.push_back(pending);
  output_closed_ = true;
  changed_.notify_all();
}

bool ServerProcess::wait_for_log(const std::string& text, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    for (const auto& line : lines_) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  });
}

bool ServerProcess::wait_for_log_count(const std::string& text, int count, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    int seen = 0;
    for (const auto& line : lines_) seen += line.find(text) != std::string::npos;
    return seen >= count;
  });
}

pid_t ServerProcess::server_pid() {
  static const std::regex started("started server process ([0-9]+)");
  std::lock_guard lock(mutex_);
  for (auto line = lines_.rbegin(); line != lines_.rend(); ++line) {
    std::smatch match;
    if (std::regex_search(*line, match, started)) return static_cast<pid_t>(std::stoi(match[1].str()));
  }
  return pid_;
}

int ServerProcess::count_log(const std::string& text) {
  std::lock_guard lock(mutex_);
  int count = 0;
  for (const auto& line : lines_) count += line.find(text) != std::string::npos;
  return count;
}

std::string ServerProcess::log() {
  std::lock_guard lock(mutex_);
  std::string all;
  for (const auto& line : lines_) all += line + "\n";
  return all;
}

int ServerProcess::stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  {
    // The output pipe closes when the process exits.
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, timeout, [&] { return output_closed_; })) kill(pid_, SIGKILL);
  }
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return exit_code_of(status);
}

}  // namespace actionhost::test

namespace actionhost::test {

PluginDir& PluginDir::add(const std::string& name) {
  namespace fs = std::filesystem;
  for (const char* dir : {ACTIONHOST_PLUGIN_DIR, ACTIONHOST_TEST_PLUGIN_DIR, ACTIONHOST_EXAMPLES_DIR,
                          ACTIONHOST_TEST_PLUGIN_DIR "/abi_v1"}) {
    fs::path source = fs::path(dir) / (name + ".so");
    if (fs::exists(source)) {
      fs::copy_file(source, fs::path(dir_.path()) / source.filename());
      return *this;
    }
  }
  throw std::runtime_error("no plugin named " + name + " was built");
}

PluginDir& PluginDir::install(const std::string& from, const std::string& to) {
  namespace fs = std::filesystem;
  for (const char* dir : {ACTIONHOST_PLUGIN_DIR, ACTIONHOST_TEST_PLUGIN_DIR, ACTIONHOST_EXAMPLES_DIR,
                          ACTIONHOST_TEST_PLUGIN_DIR "/abi_v1"}) {
    fs::path source = fs::path(dir) / (from + ".so");
    if (!fs::exists(source)) continue;
    fs::path staged = fs::path(dir_.path()) / (to + ".so.partial");
    fs::copy_file(source, staged, fs::copy_options::overwrite_existing);
    fs::rename(staged, fs::path(dir_.path()) / (to + ".so"));
    return *this;
  }
  throw std::runtime_error("no plugin named " + from + " was built");
}

void PluginDir::remove(const std::string& name) {
  std::filesystem::remove(std::filesystem::path(dir_.path()) / (name + ".so"));
}

PluginDir& PluginDir::add_all_shipped() {
  for (const char* name : {"random_number", "status", "sleep_test", "cache_test", "show_documentation"})
    add(name);
  return *this;
}

}  // namespace actionhost::test
