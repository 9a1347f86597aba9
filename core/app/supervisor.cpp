#include "app/supervisor.hpp"

#include <execinfo.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <deque>
#include <new>
#include <string>

#include <spdlog/spdlog.h>

#include "crashes/crash_state.hpp"
#include "crashes/quarantine.hpp"
#include "crashes/running_plugin.hpp"
#include "net/listener.hpp"
#include "util/clock.hpp"

namespace actionhost {
namespace {

constexpr int kMaxBlamelessCrashes = 5;
constexpr std::int64_t kCrashWindowMs = 60000;

int g_backtrace_fd = -1;  // the child's crash handler writes its backtrace here

// In the child, on a fatal signal: the backtrace into the file the supervisor reads, then
// the default action (no core dump: RLIMIT_CORE is 0), so the supervisor sees the signal.
[[maybe_unused]] void on_fatal_signal(int signal) {
  crash::record_fault();
  void* frames[64];
  const int count = ::backtrace(frames, 64);
  if (g_backtrace_fd >= 0) ::backtrace_symbols_fd(frames, count, g_backtrace_fd);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

void install_crash_handler(int backtrace_fd) {
  g_backtrace_fd = backtrace_fd;
  void* warm[1];
  ::backtrace(warm, 1);                    // loads what backtrace() needs now, not inside the handler
#if !defined(__SANITIZE_ADDRESS__)         // under ASan, its own report (with the stack) says more
  static char alternate_stack[64 * 1024];  // so that a stack overflow of this thread is reported too
  stack_t stack{};
  stack.ss_sp = alternate_stack;
  stack.ss_size = sizeof alternate_stack;
  ::sigaltstack(&stack, nullptr);
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  action.sa_flags = SA_ONSTACK | SA_RESETHAND;
  for (int signal : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) ::sigaction(signal, &action, nullptr);
#endif
}

std::string signal_name(int signal) {
  const char* abbreviation = ::sigabbrev_np(signal);
  return abbreviation ? std::string("SIG") + abbreviation : "signal " + std::to_string(signal);
}

std::string read_backtrace(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n = 0;
  off_t offset = 0;
  while ((n = ::pread(fd, buffer, sizeof buffer, offset)) > 0) {
    text.append(buffer, static_cast<std::size_t>(n));
    offset += n;
  }
  return text;
}

// The plugin code the faulting thread of the dead child was running, if any. When no crash
// handler ran (under ASan, whose own report stops the process), the first thread found in
// plugin code.
const CrashSite* blamed_site(const CrashState& state) {
  if (state.fault_recorded.load(std::memory_order_acquire)) return crash::site(state.fault_site.load());
  const std::uint32_t threads = std::min(state.thread_count.load(), CrashState::kThreads);
  for (std::uint32_t i = 0; i < threads; ++i) {
    if (const std::uint32_t site = state.running[i].load(); site != 0) return crash::site(site);
  }
  return nullptr;
}

int exit_status_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

// The child: dies with the supervisor, dumps no core, reports its crashes, serves.
[[noreturn]] void run_child(pid_t supervisor, const sigset_t& original_mask, int backtrace_fd,
                            CrashState* state, int listening_fd, const std::function<int(int)>& serve) {
  ::sigprocmask(SIG_SETMASK, &original_mask, nullptr);
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (::getppid() != supervisor) ::raise(SIGTERM);  // it died before the line above
  rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  install_crash_handler(backtrace_fd);
  crash::attach(state);
  std::exit(serve(listening_fd));
}

}  // namespace

int supervise(const Config& config, const std::function<int(int)>& serve) {
  int listening_fd = -1;
  if (config.socket.enabled) {
    auto opened = open_listening_socket(config.socket);
    if (!opened) {
      spdlog::error("cannot start: {}", opened.problem().message);
      return 1;
    }
    listening_fd = *opened;
  }
  void* memory = ::mmap(nullptr, sizeof(CrashState), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  const int backtrace_fd = ::memfd_create("actionhost-backtrace", 0);
  if (memory == MAP_FAILED || backtrace_fd < 0) {
    spdlog::error("cannot start the supervisor ({}); set server.supervise = false to run without one",
                  std::strerror(errno));
    return 1;
  }
  auto* state = new (memory) CrashState{};
  crash::attach(state);  // for crash::site() here; the children attach the same memory

  sigset_t handled, original;
  sigemptyset(&handled);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&handled, signal);
  ::sigprocmask(SIG_BLOCK, &handled, &original);

  const pid_t supervisor = ::getpid();
  std::deque<std::int64_t> blameless;  // when each crash with no plugin to blame happened
  bool stopping = false;
  for (;;) {
    state->serving = 0;
    state->site_count = 0;
    state->thread_count = 0;
    state->fault_recorded = 0;
    state->fault_site = 0;
    for (auto& slot : state->running) slot = 0;
    ::ftruncate(backtrace_fd, 0);

    const pid_t child = ::fork();
    if (child < 0) {
      spdlog::error("cannot start the server process: {}", std::strerror(errno));
      return 1;
    }
    if (child == 0) run_child(supervisor, original, backtrace_fd, state, listening_fd, serve);
    spdlog::info("supervisor {}: started server process {}", supervisor, child);

    int status = 0;
    for (;;) {
      siginfo_t info{};
      const int signal = ::sigwaitinfo(&handled, &info);
      if (signal == SIGCHLD) {
        if (::waitpid(child, &status, WNOHANG) == child) break;
        continue;
      }
      if (signal == SIGINT || signal == SIGTERM) stopping = true;
      if (signal > 0) ::kill(child, signal);
    }
    const bool crashed = WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) != 0);
    const CrashSite* site = crashed ? blamed_site(*state) : nullptr;
    // Before serving, only a plugin's crash (e.g. in on_load) is worth a restart without it.
    if (stopping || !crashed || (!state->serving && !site)) return exit_status_of(status);

    ++state->crashes;
    const std::string how = WIFSIGNALED(status) ? signal_name(WTERMSIG(status))
                                                : "exit status " + std::to_string(WEXITSTATUS(status));
    const std::int64_t now = now_ms();
    if (site) {
      const std::string running = std::string(site->kind) == "action" ? std::string("action ") + site->what
                                                                      : std::string(site->what);
      spdlog::error("server process {} died from {} while running {} of plugin {}; quarantined {} and "
                    "restarting the server",
                    child, how, running, site->file, site->file);
      crash::quarantine(*state, config.plugins.dir, site->file, how, site->what, now);
    } else {
      spdlog::error("server process {} died from {} with no plugin code running; restarting the server", child,
                    how);
      blameless.push_back(now);
      while (!blameless.empty() && blameless.front() < now - kCrashWindowMs) blameless.pop_front();
      if (static_cast<int>(blameless.size()) > kMaxBlamelessCrashes) {
        spdlog::error("the server process crashed {} times within 60 s with no plugin to blame; giving up "
                      "(see the backtraces above)",
                      blameless.size());
        return 1;
      }
    }
    if (std::string trace = read_backtrace(backtrace_fd); !trace.empty()) {
      spdlog::error("backtrace of server process {}:\n{}", child, trace);
    }
  }
}

}  // namespace actionhost
