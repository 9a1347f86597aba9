#include "session.hpp"

#include <chrono>

namespace actionhost::cli {
namespace {

// The key of the marker request after `file PATH`: never set, so its answer's data is null.
constexpr std::string_view kMarkerRequest = "paramView actionhost-cli-end-of-file\n";

std::string_view first_word(std::string_view line) {
  auto begin = line.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  line.remove_prefix(begin);
  return line.substr(0, line.find(' '));
}

}  // namespace

bool is_blank(std::string_view line) { return line.find_first_not_of(' ') == std::string_view::npos; }

Session::Session(boost::asio::io_context& io, Connection& connection, Events events)
    : io_(io), connection_(connection), events_(std::move(events)), quit_deadline_(io) {}

void Session::start(std::function<void(const Message&)> welcome) {
  welcome_ = std::move(welcome);
  connection_.start_reading([this](std::string_view bytes) { received(bytes); },
                            [this](const std::string& reason) { ended(reason); });
}

void Session::request(const std::string& line, std::function<void(Reply)> done) {
  std::string_view verb = first_word(line);
  done_ = std::move(done);
  ++sent_;
  if (verb == "quit" || verb == "exit") {
    pending_ = Pending::goodbye;
    connection_.write(line + "\n");
  } else if (verb == "file") {
    pending_ = Pending::file;
    marker_count_ = ++sent_;
    connection_.write(line + "\n" + std::string(kMarkerRequest));
  } else {
    pending_ = Pending::answer;
    connection_.write(line + "\n");
  }
}

void Session::quit(std::function<void()> done) {
  quit_done_ = std::move(done);
  quitting_ = true;
  if (ended_) return finish_quit();
  connection_.write("quit\n");
  quit_deadline_.expires_after(std::chrono::seconds(5));
  quit_deadline_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) finish_quit();
  });
}

void Session::finish_quit() {
  if (!quit_done_) return;
  quit_deadline_.cancel();
  connection_.close();
  auto done = std::move(quit_done_);
  quit_done_ = nullptr;
  done();
}

void Session::received(std::string_view bytes) {
  inbox_.append(bytes);
  while (true) {
    if (pending_ == Pending::file && welcomed_) {
      auto file = inbox_.take_file_reply(marker_count_);
      if (!file) return;
      for (const auto& chat : file->chat_before) events_.chat(chat);
      Reply reply;
      if (file->answer) {
        reply.message = std::move(*file->answer);
      } else {
        reply.kind = Reply::Kind::file;
        reply.bytes = std::move(file->bytes);
      }
      complete(std::move(reply));
      for (const auto& chat : file->chat_after) events_.chat(chat);
      continue;
    }
    auto message = inbox_.next_line();
    if (!message) return;
    dispatch(std::move(*message));
  }
}

void Session::dispatch(Message message) {
  if (!welcomed_) {
    welcomed_ = true;
    if (welcome_) welcome_(message);
    return;
  }
  if (message.is_chat()) {
    events_.chat(message);
  } else if (pending_ == Pending::answer && message.is_answer()) {
    complete(Reply{Reply::Kind::answer, std::move(message), {}});
  } else if (message.is_goodbye() && pending_ == Pending::goodbye) {
    quitting_ = true;  // the close that follows is expected
    complete(Reply{Reply::Kind::goodbye, std::move(message), {}});
  } else if (message.is_goodbye() && quitting_) {
    finish_quit();
  } else if (message.is_goodbye()) {
    goodbye_ = std::move(message);  // the server is closing the connection
  } else {
    events_.other(message);
  }
}

void Session::complete(Reply reply) {
  pending_ = Pending::none;
  auto done = std::move(done_);
  done_ = nullptr;
  if (done) done(std::move(reply));
}

void Session::ended(const std::string& reason) {
  if (ended_) return;
  ended_ = true;
  if (quitting_) return finish_quit();
  std::string why = "connection closed by the server";
  if (goodbye_) {
    why += " with the goodbye line " + goodbye_->raw;
  } else if (!reason.empty()) {
    why += ": " + reason;
  }
  if (events_.closed) events_.closed(why);
}

}  // namespace actionhost::cli
