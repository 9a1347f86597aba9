#pragma once
// Interactive mode: a prompt with line editing and history (libedit's readline API), driven
// from the event loop so that chat messages show while a line is being typed.
//
// libedit's callback interface reads one key per rl_callback_read_char(), which is called
// only when standard input is readable (an Asio wait on it), so the loop stays free for the
// connection. While the prompt is shown, something to print (a chat message, the server
// closing) erases the prompt and the line being typed, is printed, and libedit redraws
// both below it, the cursor where it was. A request line takes the prompt away until its
// answer is printed: one request at a time, as in batch mode.

#include <string>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>

#include "client.hpp"
#include "printer.hpp"

namespace actionhost::cli {

class Interactive {
 public:
  Interactive(Client& client, const Options& options);
  ~Interactive();  // leaves the terminal as it found it
  Interactive(const Interactive&) = delete;
  Interactive& operator=(const Interactive&) = delete;

  // Runs until quit, Ctrl-D or the server closing; returns the exit code.
  int run();

 private:
  static void line_handler(char* line);  // libedit's callback: a line was entered
  void entered(char* line);
  void answered(const Reply& reply);

  void show_prompt();  // draws the prompt; keys are read again
  void hide_prompt();  // the terminal back in its usual mode, keys left unread
  void wait_for_key();
  void key_ready();
  // Prints `text` above the prompt when it is shown, else where the cursor is.
  void show(const std::string& text);
  void erase_prompt();

  void wait_for_signal();
  void leave(int code);  // saves the history and ends the run

  void load_history();
  void remember(const std::string& line);

  Client& client_;
  const Options& options_;
  Printer printer_;
  std::string prompt_;
  std::string history_file_;  // "" without HOME
  std::string last_remembered_;
  boost::asio::posix::stream_descriptor keys_;  // a duplicate of descriptor 0
  boost::asio::signal_set signals_;
  bool prompt_shown_ = false;
  bool waiting_for_key_ = false;
  bool left_ = false;

  static Interactive* current_;  // libedit's callback has no user data
};

}  // namespace actionhost::cli
