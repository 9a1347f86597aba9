// The SDK's fast path (run_fast: params read by name, the response written field by field)
// through a real server, and the timeout of an action that answers on its own thread.

#include <gtest/gtest.h>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

TEST(FastPath, ReadsParamsByNameAndWritesEachKindOfField) {
  PluginDir plugins;
  plugins.add("fast_path");
  ServerProcess server(plugins.config());
  Client client(server.port());
  const std::string id = client.request("detailsView")["data"]["id"];
  const Json answer = client.request(
      R"({"action":"fastEcho","params":{"text":"a \"quoted\"\nline","n":"2.5","list":[1,"x"]}})");
  EXPECT_EQ(answer.dump(),
            R"({"text":"a \"quoted\"\nline","n":2.5,"rounded":2,"textIsNumber":false,"list":[1,"x"],)"
            R"("flag":true,"raw":{"a":[1,2]},"connection":")" +
                id + R"(","context":"response","messageCount":2})");
  // Absent params are left out; the input's type made the socket's text a number.
  EXPECT_EQ(client.request("fastEcho").dump(),
            R"({"textIsNumber":false,"list":null,"flag":true,"raw":{"a":[1,2]},"connection":")" + id +
                R"(","context":"response","messageCount":3})");
}

TEST(FastPath, NothingWrittenIsAnEmptyResponseAndAWholeObjectPassesAsIs) {
  PluginDir plugins;
  plugins.add("fast_path");
  ServerProcess server(plugins.config());
  Client client(server.port());
  EXPECT_EQ(client.request("fastNothing").dump(), R"({"context":"response","messageCount":1})");
  EXPECT_EQ(client.request(R"({"action":"fastWhole","params":{"messageId":"m1"}})").dump(),
            R"({"whole":true,"n":1,"context":"response","messageCount":2,"messageId":"m1"})");
}

TEST(FastPath, AThrowAfterSomeFieldsAnswersOnlyTheError) {
  PluginDir plugins;
  plugins.add("fast_path");
  ServerProcess server(plugins.config());
  Client client(server.port());
  EXPECT_EQ(client.request("fastThrows").dump(),
            R"({"error":"Error: fast boom","context":"response","messageCount":1})");
  EXPECT_EQ(client.request("fastBadJson")["error"], "Error: the value written for broken is not valid JSON");
  EXPECT_EQ(client.request("detailsView")["data"]["pendingActions"], 0);
}

// No timer is armed while an action runs on its thread; an answer that comes past its
// timeout is still the timeout's, as the timer would have made it.
TEST(FastPath, AnActionThatAnswersOnItsThreadPastItsTimeoutIsAnsweredWithTheTimeout) {
  PluginDir plugins;
  plugins.add("fast_path");
  ServerProcess server(plugins.config());
  Client client(server.port());
  EXPECT_EQ(client.request("fastOverrun").dump(),
            R"({"error":"Error: the action timed out","context":"response","messageCount":1})");
  EXPECT_TRUE(server.wait_for_log("action fastOverrun v1 answered after its timeout; the answer was dropped"))
      << server.log();
  EXPECT_EQ(server.count_log("the action timed out: it did not answer within 100 ms (its own timeout)"), 1)
      << server.log();
  EXPECT_EQ(client.request("fastNothing")["messageCount"], 2);  // nothing else arrived
  EXPECT_EQ(client.request("detailsView")["data"]["pendingActions"], 0);
}

}  // namespace
}  // namespace actionhost::test
