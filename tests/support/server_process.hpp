#pragma once
// Starts the real actionhost binary for a test, on a port the OS chooses, and watches its
// log. The config is the given TOML text plus `socket.port = 0`.

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace actionhost::test {

using namespace std::chrono_literals;

// Runs `argv` (argv[0] the binary) to completion; returns its exit code and output.
struct ProcessResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr, interleaved
};
ProcessResult run_process(const std::vector<std::string>& argv);

// A scratch directory removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string write(const std::string& name, const std::string& contents) const;

 private:
  std::string path_;
};

class ServerProcess {
 public:
  // `config_toml` is written to a temporary file; `[socket] port = 0` is forced with --set,
  // and plugins.dir is the build's shipped plugins unless the text has a [plugins] section.
  explicit ServerProcess(const std::string& config_toml = "", std::vector<std::string> extra_args = {});
  ~ServerProcess();

  std::uint16_t port() const { return port_; }
  const TempDir& dir() const { return dir_; }

  // Waits until a log line contains `text`; false on timeout.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout = 10s);
  // Waits until at least `count` log lines contain `text`; false on timeout.
  bool wait_for_log_count(const std::string& text, int count, std::chrono::milliseconds timeout = 10s);
  // How many log lines so far contain `text`.
  int count_log(const std::string& text);
  pid_t pid() const { return pid_; }
  // The server process: under a supervisor (server.supervise = true), its newest child.
  pid_t server_pid();
  std::string log();

  // Sends `signal` and waits for the exit; returns the exit code (or 128+signal).
  int stop(int signal, std::chrono::milliseconds timeout = 15s);

 private:
  void read_output(int fd);

  TempDir dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool output_closed_ = false;
};

}  // namespace actionhost::test

namespace actionhost::test {

// A plugins folder for one test, holding copies of chosen shipped and test plugins.
class PluginDir {
 public:
  // Copies ACTIONHOST_PLUGIN_DIR/NAME.so (shipped) or ACTIONHOST_TEST_PLUGIN_DIR/NAME.so.
  PluginDir& add(const std::string& name);
  PluginDir& add_all_shipped();
  // Copies built plugin `from` (as add() finds it) into the folder as `to`, atomically:
  // written under a name the server ignores, then renamed in.
  PluginDir& install(const std::string& from, const std::string& to);
  void remove(const std::string& name);
  std::string write(const std::string& name, const std::string& contents) { return dir_.write(name, contents); }
  const std::string& path() const { return dir_.path(); }
  // A [plugins] section naming this folder.
  std::string config() const { return "[plugins]\ndir = \"" + dir_.path() + "\"\n"; }

 private:
  TempDir dir_;
};

}  // namespace actionhost::test
