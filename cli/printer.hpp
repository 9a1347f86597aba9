#pragma once
// How answers, chat messages and files are shown: for a person (a terminal) indented,
// coloured JSON and one readable line per chat message; for a program (a pipe or file)
// exactly the lines the server sent, one per message.

#include <string>

#include "inbox.hpp"

namespace actionhost::cli {

class Printer {
 public:
  struct Style {
    bool pretty = false;  // indented JSON, readable chat lines
    bool colour = false;  // ANSI colours (pretty only)
  };

  // Pretty and coloured when `fd` is a terminal; no colour when NO_COLOR is set or TERM is
  // "dumb".
  static Style style_for(int fd);

  explicit Printer(Style style) : style_(style) {}

  // Each returns the text to write, ending in "\n".
  std::string answer(const Message& message) const;
  std::string chat(const Message& message) const;
  // A file's bytes: as they are for a program; for a person, ending in a new line.
  std::string file(const std::string& bytes) const;

 private:
  void pretty_json(const Json& value, int depth, bool is_error, std::string& out) const;
  std::string paint(const std::string& text, const char* colour) const;

  Style style_;
};

}  // namespace actionhost::cli
