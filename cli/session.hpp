#pragma once
// The protocol seen from the client (SPEC §4): the welcome line first, then one request at
// a time and its reply, with chat messages and other unasked-for lines in between.
//
// One request is in flight at a time, so the next answer (context "response") is the reply
// to it whatever its messageCount; answers, chat and the goodbye are told apart by their
// context. `quit`/`exit` are answered by the goodbye line, and `file PATH` by raw bytes,
// delimited with a marker request (see Inbox).

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connection.hpp"
#include "inbox.hpp"

namespace actionhost::cli {

struct Reply {
  enum class Kind { answer, file, goodbye };
  Kind kind = Kind::answer;
  Message message;    // answer, goodbye
  std::string bytes;  // file: the file's contents

  bool has_error() const { return kind != Kind::file && message.has_error(); }
};

// A line the server ignores (SPEC §4.2 and the README: only spaces).
bool is_blank(std::string_view line);

class Session {
 public:
  struct Events {
    std::function<void(const Message&)> chat;   // context "user"
    std::function<void(const Message&)> other;  // anything else the server sends unasked
    // The connection ended other than after quit(): the goodbye line if one came, else
    // "connection closed by the server" and the reason.
    std::function<void(const std::string& why)> closed;
  };

  Session(boost::asio::io_context& io, Connection& connection, Events events);

  // Starts reading; `welcome` gets the first line (the welcome, or the refusal of a full server).
  void start(std::function<void(const Message&)> welcome);

  // Sends one line (not blank, no line end); `done` gets its reply. One request at a time.
  void request(const std::string& line, std::function<void(Reply)> done);
  bool busy() const { return pending_ != Pending::none; }

  // Says goodbye: sends `quit` and calls `done` once the goodbye came or the connection
  // ended (at most a few seconds later), then closes the connection.
  void quit(std::function<void()> done);

 private:
  enum class Pending { none, answer, file, goodbye };

  void received(std::string_view bytes);
  void dispatch(Message message);
  void complete(Reply reply);
  void ended(const std::string& reason);
  void finish_quit();

  boost::asio::io_context& io_;
  Connection& connection_;
  Events events_;
  Inbox inbox_;
  std::function<void(const Message&)> welcome_;
  bool welcomed_ = false;

  std::uint64_t sent_ = 0;  // request lines sent: the server's messageCount
  Pending pending_ = Pending::none;
  std::uint64_t marker_count_ = 0;  // Pending::file: the marker request's number
  std::function<void(Reply)> done_;

  std::optional<Message> goodbye_;  // the server said goodbye unasked
  bool quitting_ = false;
  std::function<void()> quit_done_;
  boost::asio::steady_timer quit_deadline_;
  bool ended_ = false;
};

}  // namespace actionhost::cli
