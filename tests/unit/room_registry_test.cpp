#include "rooms/room_registry.hpp"

#include <fmt/format.h>
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
  auto refused = rooms.join("nowhere", peer, 1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.problem().message, "room does not exist");
  EXPECT_TRUE(rooms.join("lobby", peer, 1));
  refused = rooms.join("lobby", peer, 2);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.problem().message, "connection already in this room (lobby)");
  refused = rooms.leave("nowhere", "p1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.problem().message, "room does not exist");
  EXPECT_TRUE(rooms.leave("lobby", "p1"));
  refused = rooms.leave("lobby", "p1");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.problem().message, "connection not in this room (lobby)");
}

TEST(RoomRegistry, KnowsEachMembersRoomsInJoinOrder) {
  RoomRegistry rooms;
  for (auto room : {"a", "b", "c"}) EXPECT_TRUE(rooms.create(room));
  auto peer = std::make_shared<FakePeer>("p1");
  auto other = std::make_shared<FakePeer>("p2");
  ASSERT_TRUE(rooms.join("c", peer, 1));
  ASSERT_TRUE(rooms.join("a", peer, 2));
  ASSERT_TRUE(rooms.join("b", peer, 3));
  ASSERT_TRUE(rooms.join("a", other, 4));
  EXPECT_EQ(rooms.rooms_of("p1"), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_TRUE(rooms.is_member("a", "p1"));
  EXPECT_FALSE(rooms.is_member("a", "p3"));
  ASSERT_TRUE(rooms.leave("a", "p1"));
  EXPECT_EQ(rooms.rooms_of("p1"), (std::vector<std::string>{"c", "b"}));
  EXPECT_FALSE(rooms.is_member("a", "p1"));
  rooms.leave_all("p1");
  EXPECT_TRUE(rooms.rooms_of("p1").empty());
  EXPECT_EQ((*rooms.members("c"))->size(), 0u);
  EXPECT_EQ((*rooms.members("b"))->size(), 0u);
  ASSERT_EQ((*rooms.members("a"))->size(), 1u);  // the other member stays
  EXPECT_EQ((**rooms.members("a"))[0].peer->peer_id(), "p2");
}

TEST(RoomRegistry, MembersKeepJoinOrderAndJoinTime) {
  RoomRegistry rooms;
  EXPECT_TRUE(rooms.create("r"));
  ASSERT_TRUE(rooms.join("r", std::make_shared<FakePeer>("a"), 10));
  ASSERT_TRUE(rooms.join("r", std::make_shared<FakePeer>("b"), 20));
  auto members = rooms.members("r");
  ASSERT_TRUE(members);
  ASSERT_EQ((*members)->size(), 2u);
  EXPECT_EQ((**members)[0].peer->peer_id(), "a");
  EXPECT_EQ((**members)[1].joined_at, 20);
  EXPECT_FALSE(rooms.members("other"));
}

TEST(RoomRegistry, BroadcastReachesMembersOnlyAndSharesOneBuffer) {
  RoomRegistry rooms;
  EXPECT_TRUE(rooms.create("r"));
  EXPECT_TRUE(rooms.create("s"));
  auto a = std::make_shared<FakePeer>("a");
  auto b = std::make_shared<FakePeer>("b");
  auto outsider = std::make_shared<FakePeer>("c");
  ASSERT_TRUE(rooms.join("r", a, 1));
  ASSERT_TRUE(rooms.join("r", b, 1));
  ASSERT_TRUE(rooms.join("s", outsider, 1));
  auto bytes = share_bytes("hello\r\n");
  EXPECT_TRUE(rooms.broadcast("r", bytes));
  EXPECT_EQ(a->received, std::vector<std::string>{"hello\r\n"});
  EXPECT_EQ(b->received, std::vector<std::string>{"hello\r\n"});
  EXPECT_TRUE(outsider->received.empty());
  EXPECT_FALSE(rooms.broadcast("missing", bytes));
}

TEST(RoomRegistry, ASnapshotIsUnchangedByLaterJoins) {
  RoomRegistry rooms;
  EXPECT_TRUE(rooms.create("r"));
  ASSERT_TRUE(rooms.join("r", std::make_shared<FakePeer>("a"), 1));
  auto before = *rooms.members("r");
  ASSERT_TRUE(rooms.join("r", std::make_shared<FakePeer>("b"), 2));
  ASSERT_TRUE(rooms.leave("r", "a"));
  EXPECT_EQ(before->size(), 1u);
  EXPECT_EQ((*before)[0].peer->peer_id(), "a");
}

TEST(RoomRegistry, ConcurrentJoinsLeavesAndBroadcastsKeepPerSenderOrder) {
  RoomRegistry rooms;
  EXPECT_TRUE(rooms.create("r"));
  auto listener = std::make_shared<FakePeer>("listener");
  ASSERT_TRUE(rooms.join("r", listener, 0));
  constexpr int kMessages = 2000;
  std::thread churn([&] {
    for (int i = 0; i < kMessages; ++i) {
      auto peer = std::make_shared<FakePeer>(
          fmt::format("p{}", i));  // not "p" + …: GCC 12's -Wrestrict false positive
      EXPECT_TRUE(rooms.join("r", peer, i));
      EXPECT_TRUE(rooms.leave("r", peer->peer_id()));
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

TEST(RoomRegistry, LimitsRoomsAndMembers) {
  RoomRegistry rooms(2, 1);
  ASSERT_TRUE(rooms.create("a"));
  ASSERT_TRUE(rooms.create("b"));
  auto third = rooms.create("c");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.problem().message, "too many rooms (max 2)");
  EXPECT_EQ(rooms.create("a").problem().kind, Problem::Kind::conflict);
  auto one = std::make_shared<test::FakePeer>("one");
  auto two = std::make_shared<test::FakePeer>("two");
  ASSERT_TRUE(rooms.join("a", one, 1));
  auto full = rooms.join("a", two, 1);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.problem().message, "room is full (max 1)");
  EXPECT_TRUE(rooms.rooms_of("two").empty());
  ASSERT_TRUE(rooms.join("b", two, 1));
}

}  // namespace
}  // namespace actionhost
