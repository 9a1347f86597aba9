#include "lines.hpp"

#include <errno.h>
#include <unistd.h>

#include <boost/asio/post.hpp>

#include "session.hpp"

namespace actionhost::cli {

std::vector<std::string> split_request_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!is_blank(line)) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

ArgumentLines::ArgumentLines(boost::asio::io_context& io, const std::vector<std::string>& args) : io_(io) {
  for (const auto& arg : args) {
    for (auto& line : split_request_lines(arg)) lines_.push_back(std::move(line));
  }
}

void ArgumentLines::next(Next next) {
  std::optional<std::string> line;
  if (!lines_.empty()) {
    line = std::move(lines_.front());
    lines_.pop_front();
  }
  boost::asio::post(io_, [next = std::move(next), line = std::move(line)] { next(line); });
}

StdinLines::StdinLines(boost::asio::io_context& io) : io_(io), input_(io, ::dup(STDIN_FILENO)) {}

std::optional<std::string> StdinLines::take_line() {
  while (true) {
    std::size_t end = buffer_.find_first_of("\r\n");
    if (end == std::string::npos) {
      if (!at_end_ || buffer_.empty()) return std::nullopt;
      end = buffer_.size();  // the last line has no line end
    }
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, std::min(end + 1, buffer_.size()));
    if (!is_blank(line)) return line;
  }
}

void StdinLines::next(Next next) {
  if (auto line = take_line(); line || at_end_) {
    boost::asio::post(io_, [next = std::move(next), line = std::move(line)] { next(line); });
    return;
  }
  if (!pollable_) return read_some(std::move(next));
  input_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                    [this, next = std::move(next)](const boost::system::error_code& ec) mutable {
                      // epoll refuses regular files and /dev/null: reading them never blocks.
                      if (ec == boost::asio::error::operation_not_supported) pollable_ = false;
                      read_some(std::move(next));
                    });
}

void StdinLines::read_some(Next next) {
  char chunk[65536];
  ssize_t n = ::read(input_.native_handle(), chunk, sizeof chunk);
  if (n > 0) {
    buffer_.append(chunk, static_cast<std::size_t>(n));
  } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
    at_end_ = true;  // end of input, or an error reading it: no more lines either way
  }
  this->next(std::move(next));
}

}  // namespace actionhost::cli
