#pragma once
// Word splitting for request lines (SPEC §4.2): words are separated by runs of spaces,
// and "the rest of the line" after a word is kept verbatim.

#include <string_view>

namespace actionhost {

struct SplitWord {
  std::string_view word;  // empty when the text holds only spaces
  std::string_view rest;  // what follows the word and the spaces after it, verbatim
};

// Skips leading spaces, takes one word, then skips the spaces that follow it.
inline SplitWord split_word(std::string_view text) {
  auto begin = text.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  text.remove_prefix(begin);
  auto end = text.find(' ');
  if (end == std::string_view::npos) return {text, {}};
  std::string_view word = text.substr(0, end);
  auto rest_begin = text.find_first_not_of(' ', end);
  if (rest_begin == std::string_view::npos) return {word, {}};
  return {word, text.substr(rest_begin)};
}

}  // namespace actionhost
