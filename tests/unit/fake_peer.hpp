#pragma once
// A Peer that records what it is sent, for unit tests of rooms and verbs.

#include <mutex>
#include <string>
#include <vector>

#include "connections/peer.hpp"

namespace actionhost::test {

class FakePeer final : public Peer {
 public:
  explicit FakePeer(std::string id) : id_(std::move(id)) {}
  const std::string& peer_id() const override { return id_; }
  const std::string& remote_ip() const override { return ip_; }
  std::uint16_t remote_port() const override { return 4242; }
  std::vector<std::string> rooms() const override { return {}; }
  void deliver(SharedBytes bytes) override {
    std::lock_guard lock(mutex_);
    received.push_back(*bytes);
  }
  void complete_action(SharedBytes bytes) override { deliver(std::move(bytes)); }
  void close_with_goodbye() override { closed = true; }

  std::vector<std::string> received;
  bool closed = false;

 private:
  std::string id_;
  std::string ip_ = "127.0.0.1";
  std::mutex mutex_;
};

}  // namespace actionhost::test
