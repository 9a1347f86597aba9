#pragma once
// Where batch mode's request lines come from: the LINE arguments, or standard input read
// without blocking the event loop (so chat and a closing server are noticed meanwhile).
// Lines end at "\n" or "\r", as the server splits them; blank lines are skipped.

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace actionhost::cli {

class LineSource {
 public:
  using Next = std::function<void(std::optional<std::string> line)>;  // nullopt: no more

  virtual ~LineSource() = default;
  // Calls `next` (never from inside this call) with the next non-blank line.
  virtual void next(Next next) = 0;
};

// Splits `text` into request lines the way the server does, dropping blank ones.
std::vector<std::string> split_request_lines(const std::string& text);

class ArgumentLines : public LineSource {
 public:
  ArgumentLines(boost::asio::io_context& io, const std::vector<std::string>& args);
  void next(Next next) override;

 private:
  boost::asio::io_context& io_;
  std::deque<std::string> lines_;
};

class StdinLines : public LineSource {
 public:
  explicit StdinLines(boost::asio::io_context& io);
  void next(Next next) override;

 private:
  std::optional<std::string> take_line();
  void read_some(Next next);

  boost::asio::io_context& io_;
  boost::asio::posix::stream_descriptor input_;  // a duplicate of descriptor 0
  bool pollable_ = true;                         // false for a regular file or /dev/null, which never block
  std::string buffer_;
  bool at_end_ = false;
};

}  // namespace actionhost::cli
