#include "batch.hpp"

#include <unistd.h>

namespace actionhost::cli {

Batch::Batch(Client& client, const Options& options, LineSource& lines)
    : client_(client), options_(options), lines_(lines), printer_(Printer::style_for(STDOUT_FILENO)) {}

int Batch::run() {
  client_.on_chat = [this](const Message& message) {
    if (options_.show_chat && !done_) print_out(printer_.chat(message));
  };
  client_.on_other = [this](const Message& message) {
    if (!done_) print_out(printer_.answer(message));
  };
  client_.on_closed = [this](const std::string& why) {
    complain(why);
    client_.finish(kExitFailed);
  };
  client_.open([this](const Message& welcome) {
    if (options_.show_welcome) print_out(printer_.answer(welcome));
    send_next();
  });
  return client_.run();
}

void Batch::send_next() {
  lines_.next([this](std::optional<std::string> line) {
    if (client_.finished()) return;
    if (!line) return done();
    client_.session().request(*line, [this](Reply reply) { answered(reply); });
  });
}

void Batch::answered(const Reply& reply) {
  if (reply.kind == Reply::Kind::file) {
    print_out(printer_.file(reply.bytes));
  } else {
    print_out(printer_.answer(reply.message));
  }
  any_error_ = any_error_ || reply.has_error();
  // The line was quit or exit: the server has said goodbye; the lines after it are not sent.
  if (reply.kind == Reply::Kind::goodbye) return client_.finish(any_error_ ? kExitFailed : kExitOk);
  send_next();
}

void Batch::done() {
  done_ = true;
  client_.session().quit([this] { client_.finish(any_error_ ? kExitFailed : kExitOk); });
}

}  // namespace actionhost::cli
