#include "verbs/verbs.hpp"

#include <gtest/gtest.h>

#include "fake_peer.hpp"

namespace actionhost {
namespace {

class VerbsTest : public ::testing::Test {
 protected:
  VerbsTest() {
    EXPECT_TRUE(rooms.create("defaultRoom"));
    EXPECT_TRUE(rooms.create("anotherRoom"));
    connection.id = "me";
    connection.remote_ip = "127.0.0.1";
    connection.remote_port = 4242;
    connection.connected_at = 1000;
  }

  Result<Json> run(std::string_view line) {
    auto space = line.find(' ');
    std::string_view word = line.substr(0, space);
    std::string_view args = space == std::string_view::npos ? "" : line.substr(space + 1);
    auto verb = find_verb(word);
    EXPECT_TRUE(verb) << word;
    if (is_chat_verb(*verb)) {  // in memory, answered before run_chat_verb returns
      std::optional<Result<Json>> answer;
      run_chat_verb(*verb, args, chat, self, [&](Result<Json> result) { answer.emplace(std::move(result)); });
      EXPECT_TRUE(answer) << line << " was not answered at once";
      return answer ? std::move(*answer) : Result<Json>(Problem::internal("no answer"));
    }
    VerbContext context{connection, chat, actions, scrub};
    return run_verb(*verb, args, context);
  }

  void expect_error(std::string_view line, const std::string& message) {
    auto outcome = run(line);
    ASSERT_FALSE(outcome) << line;
    EXPECT_EQ(outcome.problem().message, message) << line;
  }

  Json data_of(std::string_view line) {
    auto outcome = run(line);
    EXPECT_TRUE(outcome) << line << ": " << outcome.problem().message;
    return outcome ? *outcome : Json();
  }

  RoomRegistry rooms;
  ActionRegistry actions;
  ConnectionTable connections;
  ChatService chat{rooms, actions, connections};
  Connection connection;
  std::shared_ptr<test::FakePeer> self = std::make_shared<test::FakePeer>("me");
  bool scrub = true;
};

TEST_F(VerbsTest, FindsEveryVerbByItsExactName) {
  for (auto name : {"quit", "exit", "paramAdd", "paramDelete", "paramView", "paramsView", "paramsDelete",
                    "roomAdd", "roomLeave", "roomView", "detailsView", "documentation", "say"}) {
    EXPECT_TRUE(find_verb(name)) << name;
  }
  EXPECT_FALSE(find_verb("paramadd"));
  EXPECT_FALSE(find_verb("randomNumber"));
}

TEST_F(VerbsTest, QuitAndExitAreOneVerb) {
  EXPECT_EQ(find_verb("quit"), Verb::quit);
  EXPECT_EQ(find_verb("exit"), Verb::quit);
}

TEST_F(VerbsTest, ParamAddTakesTheRestOfTheLineAfterTheFirstEquals) {
  EXPECT_TRUE(run("paramAdd messageId=a=b  c "));
  EXPECT_EQ(connection.params.json()["messageId"], "a=b  c ");
}

TEST_F(VerbsTest, ParamAddTakesTheRestOfTheLineAfterTheKey) {
  ASSERT_TRUE(run("paramAdd callback   two  words "));
  EXPECT_EQ(connection.params.json()["callback"], "two  words ");
}

TEST_F(VerbsTest, ParamAddRefusesKeysNoActionTakes) {
  expect_error("paramAdd key=myKey", "param key is not an input of any action");
  EXPECT_FALSE(connection.params.json().contains("key"));
}

TEST_F(VerbsTest, ParamAddAcceptsAnyKeyWhenScrubbingIsOff) {
  scrub = false;
  EXPECT_TRUE(run("paramAdd key=myKey"));
  EXPECT_EQ(connection.params.json()["key"], "myKey");
}

TEST_F(VerbsTest, ParamViewDeleteAndDeleteAll) {
  ASSERT_TRUE(run("paramAdd action=a"));
  ASSERT_TRUE(run("paramAdd file=f"));
  EXPECT_EQ(data_of("paramView action"), "a");
  EXPECT_EQ(data_of("paramView missing"), nullptr);
  EXPECT_EQ(data_of("paramsView"), (Json{{"action", "a"}, {"file", "f"}}));
  ASSERT_TRUE(run("paramDelete action"));
  EXPECT_EQ(data_of("paramsView"), (Json{{"file", "f"}}));
  ASSERT_TRUE(run("paramsDelete"));
  EXPECT_EQ(data_of("paramsView"), Json::object());
}

TEST_F(VerbsTest, RoomAddErrorsInOrder) {
  expect_error("roomAdd", "a room is required");
  expect_error("roomAdd nowhere", "room does not exist");
  EXPECT_EQ(data_of("roomAdd defaultRoom"), true);
  expect_error("roomAdd defaultRoom", "connection already in this room (defaultRoom)");
  EXPECT_EQ(rooms.rooms_of("me"), std::vector<std::string>{"defaultRoom"});
}

TEST_F(VerbsTest, RoomLeaveErrorsInOrder) {
  expect_error("roomLeave", "a room is required");
  expect_error("roomLeave nowhere", "room does not exist");
  expect_error("roomLeave anotherRoom", "connection not in this room (anotherRoom)");
  ASSERT_TRUE(run("roomAdd anotherRoom"));
  EXPECT_EQ(data_of("roomLeave anotherRoom"), true);
  EXPECT_TRUE(rooms.rooms_of("me").empty());
}

TEST_F(VerbsTest, RoomViewListsMembersForMembersOnly) {
  expect_error("roomView", "a room is required");
  expect_error("roomView nowhere", "room does not exist");
  expect_error("roomView defaultRoom", "not member of room defaultRoom");
  ASSERT_TRUE(run("roomAdd defaultRoom"));
  auto data = data_of("roomView defaultRoom");
  EXPECT_EQ(data["room"], "defaultRoom");
  EXPECT_EQ(data["membersCount"], 1);
  EXPECT_EQ(data["members"]["me"]["id"], "me");
  EXPECT_TRUE(data["members"]["me"]["joinedAt"].is_number_integer());
}

TEST_F(VerbsTest, DetailsViewHasTheSpecFieldsInOrder) {
  ASSERT_TRUE(run("roomAdd defaultRoom"));
  auto data = data_of("detailsView");
  std::vector<std::string> keys;
  for (auto it = data.begin(); it != data.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "fingerprint", "remoteIP", "remotePort", "params",
                                            "connectedAt", "rooms", "totalActions", "pendingActions"}));
  EXPECT_EQ(data["remotePort"], 4242);
  EXPECT_EQ(data["rooms"], Json::array({"defaultRoom"}));
}

TEST_F(VerbsTest, DocumentationIsEmptyWithoutActions) { EXPECT_EQ(data_of("documentation"), Json::object()); }

TEST_F(VerbsTest, SayErrorsInOrderAndBroadcastsToMembers) {
  expect_error("say", "both room and message are required");
  expect_error("say defaultRoom", "both room and message are required");
  expect_error("say nowhere hi", "room does not exist");
  expect_error("say defaultRoom hi", "connection not in this room (defaultRoom)");
  ASSERT_TRUE(run("roomAdd defaultRoom"));
  EXPECT_TRUE(run("say defaultRoom  hi  there "));
  ASSERT_EQ(self->received.size(), 1u);
  auto message = Json::parse(self->received[0]);
  EXPECT_EQ(message["message"], "hi  there ");  // the spaces after the room are not part of it
  EXPECT_EQ(message["from"], "me");
  EXPECT_EQ(message["context"], "user");
}

}  // namespace
}  // namespace actionhost
