// Chat over real sockets: who receives a say, in what order, and membership on disconnect.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

std::string id_of(Client& client) { return client.request("detailsView")["data"]["id"]; }

TEST(Rooms, SayReachesEveryMemberIncludingTheSenderAndNoOneElse) {
  ServerProcess server;
  Client alice(server.port());
  Client bob(server.port());
  Client carol(server.port());
  ASSERT_EQ(carol.request("roomLeave defaultRoom")["data"], true);
  std::string alice_id = id_of(alice);

  alice.send_line("say defaultRoom hello  room ");
  for (Client* member : {&alice, &bob}) {
    Json message = member->read_json();
    EXPECT_EQ(message["message"], "hello  room ");
    EXPECT_EQ(message["room"], "defaultRoom");
    EXPECT_EQ(message["from"], alice_id);
    EXPECT_EQ(message["context"], "user");
    EXPECT_TRUE(message["sentAt"].is_number_integer());
    EXPECT_FALSE(message.contains("messageCount"));
  }
  // The sender's answer comes after its own copy of the message.
  Json answer = alice.read_json();
  EXPECT_EQ(answer["status"], "OK");
  EXPECT_EQ(answer["messageCount"], 2);

  // The say was queued to every member before alice's answer was sent, so carol's next
  // line is the answer to her own request, not the message.
  EXPECT_EQ(carol.request("paramsView")["messageCount"], 2);
}

TEST(Rooms, MessagesFromOneSenderArriveInOrderAtEveryMember) {
  ServerProcess server;
  constexpr int kSenders = 3;
  constexpr int kMessages = 200;
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<std::string> ids;
  for (int i = 0; i < kSenders; ++i) {
    clients.push_back(std::make_unique<Client>(server.port()));
    ids.push_back(id_of(*clients.back()));
  }
  for (int i = 0; i < kSenders; ++i) {
    std::string burst;
    for (int m = 0; m < kMessages; ++m) burst += "say defaultRoom " + std::to_string(m) + "\n";
    clients[i]->send(burst);
  }
  // Each member sees kSenders * kMessages messages (plus its own answers); per sender in order.
  for (auto& member : clients) {
    std::map<std::string, int> next;
    int messages = 0;
    while (messages < kSenders * kMessages) {
      Json line = member->read_json();
      ASSERT_FALSE(line.is_null());
      if (line.value("context", "") != "user") continue;
      int& expected = next[line["from"].get<std::string>()];
      ASSERT_EQ(line["message"], std::to_string(expected)) << "from " << line["from"];
      ++expected;
      ++messages;
    }
    for (const auto& id : ids) EXPECT_EQ(next[id], kMessages);
  }
}

TEST(Rooms, StartingRoomsComeFromTheConfig) {
  ServerProcess server("[chat]\nstarting_rooms = [\"lobby\", \"games\"]\ndefault_room = \"lobby\"\n");
  Client client(server.port());
  EXPECT_EQ(client.first_line()["room"], "lobby");
  EXPECT_EQ(client.request("roomAdd games")["data"], true);
  EXPECT_EQ(client.request("roomAdd anotherRoom")["error"], "room does not exist");
}

TEST(Rooms, AClosedConnectionLeavesItsRooms) {
  ServerProcess server;
  Client stays(server.port());
  std::string leaver_id;
  {
    Client leaves(server.port());
    leaver_id = id_of(leaves);
    ASSERT_EQ(stays.request("roomView defaultRoom")["data"]["membersCount"], 2);
  }
  ASSERT_TRUE(server.wait_for_log("connection " + leaver_id + " closed"));
  Json view = stays.request("roomView defaultRoom")["data"];
  EXPECT_EQ(view["membersCount"], 1);
  EXPECT_FALSE(view["members"].contains(leaver_id));
}

}  // namespace
}  // namespace actionhost::test
