// say_filter: moderates chat, with its settings from the server's config:
//
//   [plugins.config.sayFilter]
//   banned = ["darn", "heck"]   # whole words, any case, reach every recipient as ***
//   max_length = 200            # longer messages are refused: "message too long (max N)"
#include <actionhost/sdk.hpp>

#include <cctype>
#include <set>
#include <stdexcept>
#include <string>

namespace sdk = actionhost::sdk;

namespace {

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }

// Replaces each whole word found in `banned` (lower case) with ***.
std::string mask(const std::string& message, const std::set<std::string>& banned) {
  std::string out;
  std::size_t i = 0;
  while (i < message.size()) {
    if (!is_word_char(message[i])) {
      out += message[i++];
      continue;
    }
    std::size_t end = i;
    while (end < message.size() && is_word_char(message[end])) ++end;
    std::string word = message.substr(i, end - i);
    out += banned.count(lower(word)) ? "***" : word;
    i = end;
  }
  return out;
}

}  // namespace

ACTIONHOST_PLUGIN("sayFilter", "1.0.0") {
  plugin.on_say([](sdk::SayMessage& said) {
    const auto& settings = sdk::settings();
    const auto max_length = settings.value("max_length", 200);
    if (said.message.size() > static_cast<std::size_t>(max_length)) {
      throw sdk::Deny("message too long (max " + std::to_string(max_length) + ")");
    }
    std::set<std::string> banned;
    for (const auto& word : settings.value("banned", std::vector<std::string>{})) banned.insert(lower(word));
    if (!banned.empty()) said.message = mask(said.message, banned);
  });
}
