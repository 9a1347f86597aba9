// Every verb of SPEC §4.3 and each of its errors, over a real socket.

#include <gtest/gtest.h>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

Json verb_error(const std::string& message, int count) {
  return {{"status", message},
          {"error", message},
          {"context", "response"},
          {"data", nullptr},
          {"messageCount", count}};
}

Json verb_ok(const Json& data, int count) {
  return {{"status", "OK"}, {"context", "response"}, {"data", data}, {"messageCount", count}};
}

TEST(Verbs, StickyParams) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.request("paramAdd nope=myKey"), verb_error("param nope is not an input of any action", 1));
  EXPECT_EQ(client.request("paramAdd callback=a b  c "), verb_ok(nullptr, 2));
  EXPECT_EQ(client.request("paramAdd file   x=y "), verb_ok(nullptr, 3));
  EXPECT_EQ(client.request("paramView callback"), verb_ok("a b  c ", 4));
  EXPECT_EQ(client.request("paramView file"), verb_ok("x=y ", 5));
  EXPECT_EQ(client.request("paramView nothing"), verb_ok(nullptr, 6));
  EXPECT_EQ(client.request("paramsView"), verb_ok({{"callback", "a b  c "}, {"file", "x=y "}}, 7));
  EXPECT_EQ(client.request("paramDelete callback"), verb_ok(nullptr, 8));
  EXPECT_EQ(client.request("paramsView"), verb_ok({{"file", "x=y "}}, 9));
  EXPECT_EQ(client.request("paramsDelete"), verb_ok(nullptr, 10));
  EXPECT_EQ(client.request("paramsView"), verb_ok(Json::object(), 11));
}

TEST(Verbs, ParamAddTakesAnyKeyWhenScrubbingIsOff) {
  ServerProcess server("[server]\ndisable_param_scrubbing = true\n");
  Client client(server.port());
  EXPECT_EQ(client.request("paramAdd key=myKey"), verb_ok(nullptr, 1));
  EXPECT_EQ(client.request("paramAdd value=myValue"), verb_ok(nullptr, 2));
  EXPECT_EQ(
      client.request("paramsView").dump(),
      R"({"status":"OK","context":"response","data":{"key":"myKey","value":"myValue"},"messageCount":3})");
}

TEST(Verbs, RoomAddLeaveAndViewWithTheirErrors) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.request("roomAdd"), verb_error("a room is required", 1));
  EXPECT_EQ(client.request("roomAdd nowhere"), verb_error("room does not exist", 2));
  EXPECT_EQ(client.request("roomAdd defaultRoom"),
            verb_error("connection already in this room (defaultRoom)", 3));
  EXPECT_EQ(client.request("roomAdd anotherRoom"), verb_ok(true, 4));
  EXPECT_EQ(client.request("roomLeave"), verb_error("a room is required", 5));
  EXPECT_EQ(client.request("roomLeave nowhere"), verb_error("room does not exist", 6));
  EXPECT_EQ(client.request("roomLeave anotherRoom"), verb_ok(true, 7));
  EXPECT_EQ(client.request("roomLeave anotherRoom"),
            verb_error("connection not in this room (anotherRoom)", 8));
  EXPECT_EQ(client.request("roomView"), verb_error("a room is required", 9));
  EXPECT_EQ(client.request("roomView nowhere"), verb_error("room does not exist", 10));
  EXPECT_EQ(client.request("roomView anotherRoom"), verb_error("not member of room anotherRoom", 11));

  Json view = client.request("roomView defaultRoom");
  std::string id = client.request("detailsView")["data"]["id"];
  EXPECT_EQ(view["status"], "OK");
  EXPECT_EQ(view["data"]["room"], "defaultRoom");
  EXPECT_EQ(view["data"]["membersCount"], 1);
  EXPECT_EQ(view["data"]["members"][id]["id"], id);
  EXPECT_TRUE(view["data"]["members"][id]["joinedAt"].is_number_integer());
}

TEST(Verbs, ParamAddAcceptsTheInputsOfLoadedActions) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.request("paramAdd key=myKey"), verb_ok(nullptr, 1));
  EXPECT_EQ(client.request("paramAdd sleepDuration=5"), verb_ok(nullptr, 2));
}

TEST(Verbs, DocumentationIsTheShowDocumentationObject) {
  ServerProcess server;
  Client client(server.port());
  Json documentation = client.request("documentation")["data"];
  EXPECT_EQ(client.request("showDocumentation")["documentation"], documentation);
  EXPECT_EQ(documentation["cacheTest"]["1"]["inputs"]["key"]["required"], true);
  EXPECT_EQ(documentation["sleepTest"]["1"]["inputs"]["sleepDuration"]["default"], 1000);
  for (const char* name : {"randomNumber", "status", "sleepTest", "cacheTest", "showDocumentation"}) {
    const Json& entry = documentation[name]["1"];
    EXPECT_EQ(entry["name"], name);
    EXPECT_EQ(entry["version"], 1);
    EXPECT_TRUE(entry["description"].is_string());
    EXPECT_TRUE(entry["inputs"].is_object());
    EXPECT_TRUE(entry["outputExample"].is_object());
  }
}

TEST(Verbs, DocumentationIsAnEmptyObjectWithoutPlugins) {
  ServerProcess server("[plugins]\ndir = \"/nonexistent\"\n");
  Client client(server.port());
  EXPECT_EQ(client.request("documentation"), verb_ok(Json::object(), 1));
}

TEST(Verbs, SayErrors) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.request("say"), verb_error("both room and message are required", 1));
  EXPECT_EQ(client.request("say defaultRoom"), verb_error("both room and message are required", 2));
  EXPECT_EQ(client.request("say nowhere hello"), verb_error("room does not exist", 3));
  EXPECT_EQ(client.request("say anotherRoom hello"),
            verb_error("connection not in this room (anotherRoom)", 4));
}

}  // namespace
}  // namespace actionhost::test
