#include "inbox.hpp"

#include <algorithm>

namespace actionhost::cli {
namespace {

std::string_view without_cr(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

Message Message::parse(std::string raw) {
  Message message;
  message.json = Json::parse(raw, nullptr, /*allow_exceptions=*/false);
  message.raw = std::move(raw);
  return message;
}

std::string Message::context() const {
  if (!is_object()) return "";
  auto it = json.find("context");
  return it != json.end() && it->is_string() ? it->get<std::string>() : "";
}

bool Message::is_goodbye() const {
  if (context() != "api") return false;
  auto it = json.find("status");
  return it != json.end() && *it == "Bye!";
}

std::optional<std::uint64_t> Message::message_count() const {
  if (!is_object()) return std::nullopt;
  auto it = json.find("messageCount");
  if (it == json.end() || !it->is_number_unsigned()) return std::nullopt;
  return it->get<std::uint64_t>();
}

std::optional<Message> Inbox::next_line() {
  auto end = buffer_.find('\n');
  if (end == std::string::npos) return std::nullopt;
  std::string line(without_cr(std::string_view(buffer_).substr(0, end)));
  buffer_.erase(0, end + 1);
  return Message::parse(std::move(line));
}

std::optional<FileReply> Inbox::take_file_reply(std::uint64_t marker_count) {
  const std::string marker = R"({"status":"OK","context":"response","data":null,"messageCount":)" +
                             std::to_string(marker_count);
  std::size_t at = 0;
  while (true) {
    at = buffer_.find(marker, at);
    if (at == std::string::npos) return std::nullopt;
    std::size_t after = at + marker.size();
    if (after >= buffer_.size()) return std::nullopt;  // its end has not arrived yet
    if (buffer_[after] == '}' || buffer_[after] == ',') break;
    at = after;  // messageCount 1 is not 12
  }
  std::size_t marker_end = buffer_.find('\n', at);
  if (marker_end == std::string::npos) return std::nullopt;

  FileReply reply;
  std::string_view region = std::string_view(buffer_).substr(0, at);
  // Whole chat lines first…
  while (true) {
    auto end = region.find('\n');
    if (end == std::string_view::npos) break;
    Message line = Message::parse(std::string(without_cr(region.substr(0, end))));
    if (!line.is_chat()) break;
    reply.chat_before.push_back(std::move(line));
    region.remove_prefix(end + 1);
  }
  // …and last.
  while (region.size() >= 2 && region.back() == '\n') {
    auto start = region.rfind('\n', region.size() - 2);
    std::size_t line_start = start == std::string_view::npos ? 0 : start + 1;
    Message line = Message::parse(
        std::string(without_cr(region.substr(line_start, region.size() - 1 - line_start))));
    if (!line.is_chat()) break;
    reply.chat_after.push_back(std::move(line));
    region = region.substr(0, line_start);
  }
  std::reverse(reply.chat_after.begin(), reply.chat_after.end());

  // One JSON answer numbered like the request: the server refused to send the file.
  if (region.size() >= 2 && region.back() == '\n' && region.find('\n') == region.size() - 1) {
    Message line = Message::parse(std::string(without_cr(region.substr(0, region.size() - 1))));
    if (line.is_answer() && line.message_count() == marker_count - 1) reply.answer = std::move(line);
  }
  if (!reply.answer) reply.bytes = std::string(region);
  buffer_.erase(0, marker_end + 1);
  return reply;
}

}  // namespace actionhost::cli
