#include "rooms/room_registry.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "fake_peer.hpp"

namespace actionhost {
namespace {

using test::FakePeer;

TEST(RoomRegistry, JoinLeaveAndTheirRefusals) {
  RoomRegistry rooms;
  EXPECT_TRUE(rooms.create("lobby"));
  EXPECT_FALSE(rooms.create("lobby"));
  auto peer = std::make_shared<FakePeer>("p1");
  EXPECT_EQ(rooms.join("nowhere", peer, 1), RoomRegistry::JoinResult::no_such_room);
  EXPECT_EQ(rooms.join("lobby", peer, 1), RoomRegistry::JoinResult::joined);
  EXPECT_EQ(rooms.join("lobby", peer, 2), RoomRegistry::JoinResult::already_member);
  EXPECT_EQ(rooms.leave("nowhere", "p1"), RoomRegistry::LeaveResult::no_such_room);
  EXPECT_EQ(rooms.leave("lobby", "p1"), RoomRegistry::LeaveResult::left);
  EXPECT_EQ(rooms.leave("lobby", "p1"), RoomRegistry::LeaveResult::not_member);
}

TEST(RoomRegistry, MembersKeepJoinOrderAndJoinTime) {
  RoomRegistry rooms;
  rooms.create("r");
  rooms.join("r", std::make_shared<FakePeer>("a"), 10);
  rooms.join("r", std::make_shared<FakePeer>("b"), 20);
  auto members = rooms.members("r");
  ASSERT_TRUE(members);
  ASSERT_EQ((*members)->size(), 2u);
  EXPECT_EQ((**members)[0].peer->peer_id(), "a");
  EXPECT_EQ((**members)[1].joined_at, 20);
  EXPECT_FALSE(rooms.members("other"));
}

TEST(RoomRegistry, BroadcastReachesMembersOnlyAndSharesOneBuffer) {
  RoomRegistry rooms;
  rooms.create("r");
  rooms.create("s");
  auto a = std::make_shared<FakePeer>("a");
  auto b = std::make_shared<FakePeer>("b");
  auto outsider = std::make_shared<FakePeer>("c");
  rooms.join("r", a, 1);
  rooms.join("r", b, 1);
  rooms.join("s", outsider, 1);
  auto bytes = share_bytes("hello\r\n");
  EXPECT_TRUE(rooms.broadcast("r", bytes));
  EXPECT_EQ(a->received, std::vector<std::string>{"hello\r\n"});
  EXPECT_EQ(b->received, std::vector<std::string>{"hello\r\n"});
  EXPECT_TRUE(outsider->received.empty());
  EXPECT_FALSE(rooms.broadcast("missing", bytes));
}

TEST(RoomRegistry, ASnapshotIsUnchangedByLaterJoins) {
  RoomRegistry rooms;
  rooms.create("r");
  rooms.join("r", std::make_shared<FakePeer>("a"), 1);
  auto before = *rooms.members("r");
  rooms.join("r", std::make_shared<FakePeer>("b"), 2);
  rooms.leave("r", "a");
  EXPECT_EQ(before->size(), 1u);
  EXPECT_EQ((*before)[0].peer->peer_id(), "a");
}

TEST(RoomRegistry, ConcurrentJoinsLeavesAndBroadcastsKeepPerSenderOrder) {
  RoomRegistry rooms;
  rooms.create("r");
  auto listener = std::make_shared<FakePeer>("listener");
  rooms.join("r", listener, 0);
  constexpr int kMessages = 2000;
  std::thread churn([&] {
    for (int i = 0; i < kMessages; ++i) {
      auto peer = std::make_shared<FakePeer>("p" + std::to_string(i));
      rooms.join("r", peer, i);
      rooms.leave("r", peer->peer_id());
    }
  });
  std::thread sender([&] {
    for (int i = 0; i < kMessages; ++i) rooms.broadcast("r", share_bytes(std::to_string(i)));
  });
  churn.join();
  sender.join();
  ASSERT_EQ(listener->received.size(), static_cast<std::size_t>(kMessages));
  for (int i = 0; i < kMessages; ++i) EXPECT_EQ(listener->received[i], std::to_string(i));
}

}  // namespace
}  // namespace actionhost
