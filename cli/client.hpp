#pragma once
// What both modes (batch and interactive) share: the event loop, the connection, the
// session, and how a run ends: opening (connect, then the welcome line) with its failures
// reported as "cannot connect" (exit 2), and finish(code).

#include <functional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "args.hpp"
#include "connection.hpp"
#include "session.hpp"

namespace actionhost::cli {

// Writes to standard output at once (unbuffered with respect to the line editor's output).
void print_out(std::string_view text);
// "actionhost-cli: TEXT" on standard error.
void complain(const std::string& text);

class Client {
 public:
  explicit Client(const Options& options);

  boost::asio::io_context& io() { return io_; }
  Session& session() { return session_; }
  const Target& target() const { return connection_.target(); }

  // What the server sends unasked, once the welcome has come; set before open().
  std::function<void(const Message&)> on_chat;
  std::function<void(const Message&)> on_other;
  std::function<void(const std::string& why)> on_closed;  // the server closed the connection

  // Connects and waits for the welcome line, then calls `ready(welcome)`. A failure is
  // reported on standard error and ends the run with kExitCannotConnect.
  void open(std::function<void(const Message& welcome)> ready);

  // Ends the run with `code`: closes the connection and stops the loop.
  void finish(int code);
  bool finished() const { return finished_; }

  // Runs the loop until finish(); returns the exit code.
  int run();

 private:
  void cannot_connect(const std::string& reason);

  boost::asio::io_context io_;
  Connection connection_;
  boost::asio::steady_timer welcome_deadline_;
  Session session_;
  bool welcomed_ = false;
  bool finished_ = false;
  int exit_code_ = kExitOk;
};

}  // namespace actionhost::cli
