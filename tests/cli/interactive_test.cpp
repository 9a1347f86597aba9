// actionhost-cli's interactive mode, in a real terminal: tmux runs it in a detached session
// of a fixed size, keys are sent with `tmux send-keys`, and the screen is read with
// `tmux capture-pane` until what is expected shows (or a deadline passes).

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

using namespace std::chrono_literals;

bool have_tmux() { return run_process({"/bin/sh", "-c", "command -v tmux"}).exit_code == 0; }

// One tmux server of its own (its socket in a temporary folder), one session running `command`.
class Tmux {
 public:
  explicit Tmux(const std::string& command) {
    // The pane stays after the command exits, so that its last screen can still be read.
    std::string conf = dir_.write("tmux.conf", "set -g remain-on-exit on\nset -g history-limit 5000\n");
    auto started = tmux({"-f", conf, "new-session", "-d", "-s", "cli", "-x", "100", "-y", "40", command});
    if (started.exit_code != 0) ADD_FAILURE() << "tmux new-session failed: " << started.output;
  }
  ~Tmux() { tmux({"kill-server"}); }

  void type(const std::string& text) { tmux({"send-keys", "-t", "cli", "-l", text}); }
  void press(const std::string& key) { tmux({"send-keys", "-t", "cli", key}); }

  // The whole pane, scrollback included, without the blank lines at its end.
  std::string screen() {
    std::string text = tmux({"capture-pane", "-p", "-S", "-", "-t", "cli"}).output;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  }
  std::string last_line() {
    std::string text = screen();
    auto start = text.rfind('\n');
    return start == std::string::npos ? text : text.substr(start + 1);
  }

  // Polls the screen until `condition` holds; false after `timeout`.
  bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 20s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(50ms);  // between two looks at the screen
    }
    return true;
  }

 private:
  ProcessResult tmux(std::vector<std::string> args) {
    args.insert(args.begin(), {"/usr/bin/env", "tmux", "-S", dir_.path() + "/tmux.sock"});
    return run_process(args);
  }

  TempDir dir_;
};

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(ActionhostCliInteractive, ShowsChatAboveThePromptKeepsHistoryAndCtrlDLeaves) {
  if (!have_tmux()) GTEST_SKIP() << "tmux is not installed (scripts/install-deps installs it)";
  ServerProcess server;
  TempDir home;
  const std::string prompt = "actionhost 127.0.0.1:" + std::to_string(server.port()) + ">";
  // Its exit status is written by the shell that runs it: tmux itself sometimes leaves the
  // exited client unreaped (a zombie) and never reports #{pane_dead_status}.
  const std::string exit_status = home.path() + "/exit-status";
  Tmux tmux("sh -c 'env HOME=" + home.path() + " NO_COLOR=1 " ACTIONHOST_CLI " --port " +
            std::to_string(server.port()) + "; echo $? > " + exit_status + "'");
  ASSERT_TRUE(tmux.wait_until([&] { return tmux.last_line() == prompt; })) << tmux.screen();
  EXPECT_NE(tmux.screen().find("Hello! Welcome to the actionhero api (in room defaultRoom)"),
            std::string::npos);

  // A request: its answer indented, then the prompt again.
  tmux.type("detailsView");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_until([&] { return count(tmux.screen(), prompt) == 2 && tmux.last_line() == prompt; }))
      << tmux.screen();
  EXPECT_NE(tmux.screen().find("    \"rooms\": [\n      \"defaultRoom\"\n    ],"), std::string::npos)
      << tmux.screen();

  // A chat message arrives while a line is half typed: it shows above the prompt, and the
  // prompt and the typed text are still there below it.
  tmux.type("say defaultRoom hi from the prompt");
  ASSERT_TRUE(tmux.wait_until([&] {
    return tmux.last_line() == prompt + " say defaultRoom hi from the prompt";
  })) << tmux.screen();
  Client bob(server.port());
  bob.send_line("say defaultRoom hello from bob");
  ASSERT_TRUE(tmux.wait_until([&] {
    std::string screen = tmux.screen();
    return screen.find("[defaultRoom]") != std::string::npos &&
           screen.find(": hello from bob") != std::string::npos;
  })) << tmux.screen();
  EXPECT_EQ(tmux.last_line(), prompt + " say defaultRoom hi from the prompt") << tmux.screen();
  // The line typed so far is still being edited: finish it and send it.
  tmux.type("!");
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_until([&] { return count(tmux.screen(), prompt) == 3 && tmux.last_line() == prompt; }))
      << tmux.screen();
  EXPECT_NE(tmux.screen().find(": hi from the prompt!"), std::string::npos) << tmux.screen();
  bool bob_heard = false;
  for (int i = 0; i < 4 && !bob_heard; ++i) bob_heard = bob.read_json()["message"] == "hi from the prompt!";
  EXPECT_TRUE(bob_heard);

  // History: Up recalls the lines sent, newest first.
  tmux.press("Up");
  ASSERT_TRUE(tmux.wait_until([&] {
    return tmux.last_line() == prompt + " say defaultRoom hi from the prompt!";
  })) << tmux.screen();
  tmux.press("Up");
  ASSERT_TRUE(tmux.wait_until([&] { return tmux.last_line() == prompt + " detailsView"; })) << tmux.screen();
  tmux.press("Enter");
  ASSERT_TRUE(tmux.wait_until([&] { return count(tmux.screen(), prompt) == 4 && tmux.last_line() == prompt; }))
      << tmux.screen();

  // Ctrl-D on an empty line says goodbye and exits 0; the history is kept for next time.
  tmux.press("C-d");
  auto status_written = [&] {
    std::ifstream in(exit_status);
    std::string text;
    return std::getline(in, text) ? text : std::string();
  };
  ASSERT_TRUE(tmux.wait_until([&] { return !status_written().empty(); })) << tmux.screen();
  EXPECT_EQ(status_written(), "0") << tmux.screen();
  std::ifstream history(home.path() + "/.actionhost_cli_history");
  std::stringstream saved;
  saved << history.rdbuf();
  EXPECT_NE(saved.str().find("detailsView"), std::string::npos) << saved.str();
}

}  // namespace
}  // namespace actionhost::test
