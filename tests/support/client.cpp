#include "support/client.hpp"

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

namespace actionhost::test {

namespace asio = boost::asio;
using asio::ip::tcp;

Client::Client(std::uint16_t port, Options options) : stream_(io_, tls_context_), tls_(options.tls) {
  auto& socket = stream_.next_layer();
  socket.open(tcp::v4());
  if (options.receive_buffer_bytes > 0) {
    socket.set_option(asio::socket_base::receive_buffer_size(options.receive_buffer_bytes));
  }
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  if (tls_) {
    tls_context_.set_verify_mode(asio::ssl::verify_none);
    stream_.handshake(asio::ssl::stream_base::client);
  }
  first_line_ = read_json();
}

void Client::send(const std::string& bytes) {
  bytes_sent_ += bytes.size();
  if (tls_) {
    asio::write(stream_, asio::buffer(bytes));
  } else {
    asio::write(stream_.next_layer(), asio::buffer(bytes));
  }
}

Client::ReadResult Client::read_raw_line(std::string& line, std::chrono::milliseconds timeout) {
  boost::system::error_code result = asio::error::would_block;
  std::size_t length = 0;
  auto done = [&](const boost::system::error_code& ec, std::size_t n) {
    result = ec;
    length = n;
  };
  auto buffer = asio::dynamic_buffer(buffer_);
  if (tls_) {
    asio::async_read_until(stream_, buffer, "\r\n", done);
  } else {
    asio::async_read_until(stream_.next_layer(), buffer, "\r\n", done);
  }
  io_.restart();
  io_.run_for(timeout);
  if (result == asio::error::would_block) {
    stream_.next_layer().cancel();
    io_.restart();
    io_.run();
    return ReadResult::timeout;
  }
  if (result) return ReadResult::closed;
  line = buffer_.substr(0, length - 2);
  buffer_.erase(0, length);
  bytes_read_ += length;
  return ReadResult::line;
}

std::optional<std::string> Client::read_line(std::chrono::milliseconds timeout) {
  std::string line;
  if (read_raw_line(line, timeout) != ReadResult::line) return std::nullopt;
  return line;
}

Json Client::read_json(std::chrono::milliseconds timeout) {
  std::string line;
  switch (read_raw_line(line, timeout)) {
    case ReadResult::line:
      break;
    case ReadResult::closed:
      ADD_FAILURE() << "the server closed the connection instead of answering";
      return nullptr;
    case ReadResult::timeout:
      ADD_FAILURE() << "no answer within " << timeout.count() << " ms";
      return nullptr;
  }
  try {
    return Json::parse(line);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not JSON: " << line;
    return nullptr;
  }
}

Json Client::request(const std::string& line) {
  send_line(line);
  return read_json();
}

bool Client::closed_by_server(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string line;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
                                                                      std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    switch (read_raw_line(line, left)) {
      case ReadResult::line:
        continue;
      case ReadResult::closed:
        return true;
      case ReadResult::timeout:
        return false;
    }
  }
}

std::uint16_t Client::local_port() const { return stream_.next_layer().local_endpoint().port(); }

}  // namespace actionhost::test
