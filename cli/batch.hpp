#pragma once
// Batch mode: the LINE arguments (or the lines of standard input) are sent one after
// another, each once the previous one is answered, and every answer is printed. Chat
// messages that arrive meanwhile are printed too (unless --no-chat); the welcome only with
// --welcome. After the last answer the client says `quit` and exits: 1 when an answer had
// an `error` or the server closed the connection first, else 0.

#include "client.hpp"
#include "lines.hpp"
#include "printer.hpp"

namespace actionhost::cli {

class Batch {
 public:
  Batch(Client& client, const Options& options, LineSource& lines);

  // Runs to the end; returns the exit code.
  int run();

 private:
  void send_next();
  void answered(const Reply& reply);
  void done();

  Client& client_;
  const Options& options_;
  LineSource& lines_;
  Printer printer_;
  bool any_error_ = false;
  bool done_ = false;  // every line answered: what still arrives is not printed
};

}  // namespace actionhost::cli
