// A connection's whole byte stream, through the line framer and the request handler, as a
// session feeds them (verbs, JSON requests, `file`, actions), with a peer that records what
// would be sent. Every answer must be one line of valid JSON (the `file` verb's raw bytes
// aside), and nothing may crash or hang.
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "dispatch/request_handler.hpp"
#include "protocol/line_framer.hpp"
#include "protocol/words.hpp"
#include "rooms/room_registry.hpp"
#include "services/chat_service.hpp"

namespace {

using namespace actionhost;

class RecordingPeer final : public Peer {
 public:
  RecordingPeer() : id_("fuzz-peer") {}
  const std::string& peer_id() const override { return id_; }
  const std::string& remote_ip() const override { return ip_; }
  std::uint16_t remote_port() const override { return 1; }
  std::vector<std::string> rooms() const override { return {}; }
  void deliver(SharedBytes bytes) override { check(*bytes); }
  void complete_action(SharedBytes answer) override {
    if (handler) handler->action_answered(answer);
  }
  void close_with_goodbye() override {}
  RequestHandler* handler = nullptr;
  bool sending_file = false;

 private:
  void check(const std::string& bytes) {
    if (sending_file) return;  // raw file bytes
    if (bytes.empty() || bytes.back() != '\n' || bytes.find('\n') != bytes.size() - 1) std::abort();
    Json parsed = Json::parse(bytes, nullptr, false);
    if (!parsed.is_object()) std::abort();
  }
  std::string id_, ip_ = "127.0.0.1";
};

struct World {
  World() {
    std::filesystem::create_directories(public_dir);
    std::ofstream(public_dir / "hello.txt") << "hello\n";
    static_cast<void>(rooms.create("defaultRoom"));
    static_cast<void>(rooms.create("anotherRoom"));
  }
  std::filesystem::path public_dir = std::filesystem::temp_directory_path() / "actionhost-fuzz-public";
  RoomRegistry rooms{100, 100};
  ActionRegistry actions;
  ConnectionTable connections;
  ChatService chat{rooms, actions, connections};
  ServerStatus status{"fuzz", 0};
  boost::asio::io_context timers;
  boost::asio::thread_pool workers{1};
  ActionRunner runner{ActionSettings{}, actions, status, timers, workers};
};

World& world() {
  static World w;
  return w;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  RequestSettings settings;
  settings.welcome_message = "Hello";
  settings.default_room = "defaultRoom";
  settings.max_line_bytes = 256;
  settings.max_file_bytes = 1024;
  settings.public_dir = w.public_dir.string();
  settings.max_params = 8;
  settings.max_params_bytes = 256;
  RequestContext context{settings, w.chat, w.actions, w.runner};
  auto peer = std::make_shared<RecordingPeer>();
  {
    RequestHandler handler(context, *peer);
    peer->handler = &handler;
    handler.greet();
    LineFramer framer(settings.max_line_bytes);
    framer.feed({reinterpret_cast<const char*>(data), size},
                [&](LineFramer::Event event, std::string_view line) {
                  switch (event) {
                    case LineFramer::Event::line:
                      peer->sending_file = split_word(line).word == "file";  // as the handler reads it
                      return handler.handle_line(line) == RequestHandler::After::carry_on;
                    case LineFramer::Event::overlong_line:
                      handler.refuse_overlong_line();
                      return true;
                    case LineFramer::Event::hangup:
                      return false;
                  }
                  return false;
                });
    handler.close("fuzz input ended");
    peer->handler = nullptr;
  }
  w.timers.poll();
  return 0;
}
