#pragma once
// What the server sends, cut into messages (SPEC §4): every message is one JSON object and
// "\r\n", except the raw bytes `file PATH` answers with (§4.5), which have no delimiter.
//
// To find the end of a file's bytes, the client sends a marker request right after
// `file PATH` (see Session): `paramView KEY` for a KEY never set, whose answer,
//   {"status":"OK","context":"response","data":null,"messageCount":N+1[,"messageId":…]}
// follows the file's bytes. Chat lines that arrive around them are complete lines and are
// told apart when they are whole lines before or after the file's bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace actionhost::cli {

using Json = nlohmann::ordered_json;

struct Message {
  std::string raw;  // as the server sent it, without "\r\n"
  Json json;        // parsed; discarded (json.is_discarded()) when raw is not JSON

  static Message parse(std::string raw);

  bool is_object() const { return json.is_object(); }
  std::string context() const;                                // "" when there is none
  bool is_answer() const { return context() == "response"; }  // to a request
  bool is_chat() const { return context() == "user"; }        // a room's message
  bool is_welcome() const { return context() == "api" && json.contains("welcome"); }
  bool is_goodbye() const;  // {"status":"Bye!","context":"api"}
  bool has_error() const { return is_object() && json.contains("error"); }
  std::optional<std::uint64_t> message_count() const;
};

// The answer to `file PATH`: the file's bytes, or (a missing file, no path, too large) an
// answer with an `error`.
struct FileReply {
  std::vector<Message> chat_before;  // chat lines that arrived before the file's bytes
  std::optional<Message> answer;     // set when the server answered with JSON
  std::string bytes;                 // the file's contents otherwise
  std::vector<Message> chat_after;   // chat lines between the file's bytes and the marker
};

class Inbox {
 public:
  void append(std::string_view bytes) { buffer_.append(bytes); }

  // The next complete line, if one has arrived.
  std::optional<Message> next_line();

  // Once the marker's answer (messageCount `marker_count`) has arrived: what came before it,
  // as the reply to the file request numbered `marker_count - 1`.
  std::optional<FileReply> take_file_reply(std::uint64_t marker_count);

  // What arrived after the last complete message (the server closed mid-message).
  const std::string& leftover() const { return buffer_; }

 private:
  std::string buffer_;
};

}  // namespace actionhost::cli
