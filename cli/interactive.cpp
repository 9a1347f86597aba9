#include "interactive.hpp"

#include <signal.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>

// libedit's readline-compatible API (Debian: libedit-dev); after the C++ headers, as its
// header defines macros such as CTRL.
#include <editline/readline.h>

namespace actionhost::cli {
namespace {

constexpr int kHistoryLines = 1000;

// Columns a UTF-8 text takes, counting each character as one.
std::size_t columns_of(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

int terminal_columns() {
  winsize size{};
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

// The terminal may be in libedit's raw mode: end lines with "\r\n".
std::string with_crlf(const std::string& text) {
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string history_path() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return "";
  return std::string(home) + "/.actionhost_cli_history";
}

}  // namespace

Interactive* Interactive::current_ = nullptr;

Interactive::Interactive(Client& client, const Options& options)
    : client_(client),
      options_(options),
      printer_(Printer::style_for(STDOUT_FILENO)),
      prompt_("actionhost " + client.target().address() + (options.tls ? " (TLS)" : "") + "> "),
      history_file_(history_path()),
      keys_(client.io(), ::dup(STDIN_FILENO)),
      signals_(client.io(), SIGINT, SIGTERM, SIGHUP) {
  signals_.add(SIGWINCH);
  current_ = this;
  // Signals are the event loop's (signals_), not libedit's; set before libedit starts.
  rl_catch_signals = 0;
  rl_readline_name = "actionhost-cli";
}

Interactive::~Interactive() {
  hide_prompt();
  current_ = nullptr;
}

int Interactive::run() {
  client_.on_chat = [this](const Message& message) {
    if (options_.show_chat) show(printer_.chat(message));
  };
  client_.on_other = [this](const Message& message) { show(printer_.answer(message)); };
  client_.on_closed = [this](const std::string& why) {
    // No prompt after this: it goes, and the reason takes its place.
    if (prompt_shown_) erase_prompt();
    hide_prompt();
    complain(why);
    leave(kExitFailed);
  };
  wait_for_signal();
  client_.open([this](const Message& welcome) {
    std::string greeting = "connected to " + client_.target().address();
    if (auto text = welcome.json.find("welcome"); text != welcome.json.end() && text->is_string()) {
      greeting += ": " + text->get<std::string>();
    }
    if (auto room = welcome.json.find("room"); room != welcome.json.end() && room->is_string()) {
      greeting += " (in room " + room->get<std::string>() + ")";
    }
    show(greeting + "\nType a request (detailsView, randomNumber, say " +
         welcome.json.value("room", std::string("ROOM")) + " hello, ...); quit or Ctrl-D leaves.\n");
    if (options_.show_welcome) show(printer_.answer(welcome));
    load_history();
    show_prompt();
  });
  return client_.run();
}

void Interactive::line_handler(char* line) {
  if (current_) {
    current_->entered(line);
  } else {
    std::free(line);
  }
}

void Interactive::entered(char* typed) {
  // libedit has already left raw mode and moved to a new line.
  prompt_shown_ = false;
  if (!typed) {  // Ctrl-D on an empty line
    print_out("\n");
    client_.session().quit([this] { leave(kExitOk); });
    return;
  }
  std::string line(typed);
  std::free(typed);
  if (is_blank(line)) return show_prompt();
  remember(line);
  client_.session().request(line, [this](Reply reply) { answered(reply); });
}

void Interactive::answered(const Reply& reply) {
  show(reply.kind == Reply::Kind::file ? printer_.file(reply.bytes) : printer_.answer(reply.message));
  if (reply.kind == Reply::Kind::goodbye) return leave(kExitOk);  // the line was quit or exit
  show_prompt();
}

void Interactive::show_prompt() {
  if (left_ || prompt_shown_) return;
  // Draws the prompt (libedit: raw mode, then the prompt and an empty line).
  rl_callback_handler_install(prompt_.c_str(), &Interactive::line_handler);
  prompt_shown_ = true;
  wait_for_key();
}

void Interactive::hide_prompt() {
  if (!prompt_shown_) return;
  rl_callback_handler_remove();  // libedit: back to the terminal's usual mode
  prompt_shown_ = false;
}

void Interactive::wait_for_key() {
  if (waiting_for_key_) return;
  waiting_for_key_ = true;
  keys_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                   [this](const boost::system::error_code& ec) {
                     waiting_for_key_ = false;
                     if (ec || left_) return;
                     key_ready();
                   });
}

void Interactive::key_ready() {
  if (!prompt_shown_) return;  // keys typed while a request runs wait for the next prompt
  int available = 0;
  if (ioctl(keys_.native_handle(), FIONREAD, &available) == 0 && available == 0) {
    // Readable with nothing to read: the terminal is gone.
    hide_prompt();
    return leave(kExitOk);
  }
  rl_callback_read_char();  // may call entered()
  if (prompt_shown_) wait_for_key();
}

void Interactive::erase_prompt() {
  // The cursor's row within the prompt and the text typed so far (which may wrap): go up to
  // the prompt's first row and clear from there to the end of the screen.
  // rl_point counts bytes; the text is asked for to count characters (this libedit's
  // rl_copy_text copies one byte less than asked, so one more is asked for).
  std::size_t before_cursor = columns_of(prompt_) + static_cast<std::size_t>(rl_point);
  if (rl_point > 0 && rl_end > 0) {
    if (char* text = rl_copy_text(0, rl_end + 1)) {
      std::string_view typed(text);
      before_cursor = columns_of(prompt_) + columns_of(typed.substr(0, static_cast<std::size_t>(rl_point)));
      std::free(text);
    }
  }
  std::size_t row = before_cursor / static_cast<std::size_t>(terminal_columns());
  std::string erase = "\r";
  if (row > 0) erase += "\033[" + std::to_string(row) + "A";
  erase += "\033[J";
  print_out(erase);
}

void Interactive::show(const std::string& text) {
  if (prompt_shown_) erase_prompt();
  print_out(with_crlf(text));
  if (prompt_shown_) rl_forced_update_display();  // the prompt and the line, cursor in place
}

void Interactive::wait_for_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec || left_) return;
    if (signal == SIGWINCH) {
      rl_resize_terminal();
    } else if (signal == SIGINT && prompt_shown_) {
      // Ctrl-C at the prompt drops the line being typed, as a shell does.
      hide_prompt();
      print_out("^C\n");
      show_prompt();
    } else {
      // Ctrl-C while a request runs (its answer cannot be cancelled), SIGTERM, SIGHUP.
      hide_prompt();
      if (signal == SIGINT) print_out("^C\n");
      return leave(128 + signal);
    }
    wait_for_signal();
  });
}

void Interactive::leave(int code) {
  if (left_) return;
  left_ = true;
  hide_prompt();
  if (!history_file_.empty()) write_history(history_file_.c_str());
  client_.finish(code);
}

void Interactive::load_history() {
  using_history();
  stifle_history(kHistoryLines);
  if (!history_file_.empty()) read_history(history_file_.c_str());
}

void Interactive::remember(const std::string& line) {
  if (line == last_remembered_) return;  // Up after repeating a line goes past it at once
  add_history(line.c_str());
  last_remembered_ = line;
}

}  // namespace actionhost::cli
