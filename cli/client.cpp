#include "client.hpp"

#include <chrono>
#include <cstdio>

namespace actionhost::cli {
namespace {

// Connecting, the TLS handshake and the welcome line together.
constexpr std::chrono::seconds kConnectTimeout{10};

Target target_of(const Options& options) {
  return Target{options.host, options.port, options.tls, options.insecure, options.ca_file};
}

}  // namespace

void print_out(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

void complain(const std::string& text) {
  std::fflush(stdout);
  std::fprintf(stderr, "actionhost-cli: %s\n", text.c_str());
  std::fflush(stderr);
}

Client::Client(const Options& options)
    : connection_(io_, target_of(options)),
      welcome_deadline_(io_),
      session_(io_, connection_,
               Session::Events{
                   .chat = [this](const Message& m) { on_chat(m); },
                   .other = [this](const Message& m) { on_other(m); },
                   .closed =
                       [this](const std::string& why) {
                         if (!welcomed_) {
                           // A TLS server closes a connection that does not speak TLS.
                           return cannot_connect(why + " before its welcome line" +
                                                 (target().tls ? "" : " (a TLS server? then add --tls)"));
                         }
                         on_closed(why);
                       },
               }) {}

void Client::cannot_connect(const std::string& reason) {
  complain("cannot connect to " + target().address() + ": " + reason);
  finish(kExitCannotConnect);
}

void Client::open(std::function<void(const Message&)> ready) {
  connection_.connect(kConnectTimeout, [this, ready = std::move(ready)](const std::string& failure) {
    if (!failure.empty()) return cannot_connect(failure);
    welcome_deadline_.expires_after(kConnectTimeout);
    welcome_deadline_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec) {
        cannot_connect(
            std::string("no welcome line within 10 s (is it an actionhost server?") +
            (target().tls ? ")" : " A TLS one says nothing until the client speaks TLS: add --tls)"));
      }
    });
    session_.start([this, ready](const Message& welcome) {
      welcome_deadline_.cancel();
      // A full server answers with {"error":"too many connections","context":"api"} and closes.
      if (!welcome.is_welcome()) {
        return cannot_connect("the server refused the connection: " +
                              (welcome.has_error() && welcome.json["error"].is_string()
                                   ? welcome.json["error"].get<std::string>()
                                   : welcome.raw));
      }
      welcomed_ = true;
      ready(welcome);
    });
  });
}

void Client::finish(int code) {
  if (finished_) return;
  finished_ = true;
  exit_code_ = code;
  io_.stop();
}

int Client::run() {
  io_.run();
  return exit_code_;
}

}  // namespace actionhost::cli
