// The action pipeline of SPEC §4.4 over real sockets, with the shipped and test plugins.

#include <gtest/gtest.h>

#include <signal.h>

#include <set>
#include <thread>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The seed's telnet session, line by line: shapes and fixed strings.
TEST(Actions, TheSeedTranscript) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.first_line()["room"], "defaultRoom");

  Json details = client.request("detailsView");
  EXPECT_EQ(details["status"], "OK");
  EXPECT_EQ(details["messageCount"], 1);

  Json random = client.request("randomNumber");
  ASSERT_TRUE(random["randomNumber"].is_number_float()) << random;
  EXPECT_GE(random["randomNumber"].get<double>(), 0.0);
  EXPECT_LT(random["randomNumber"].get<double>(), 1.0);
  EXPECT_EQ(random["context"], "response");
  EXPECT_EQ(random["messageCount"], 2);

  EXPECT_EQ(
      client.request("cacheTest").dump(),
      R"({"error":"Error: key is a required parameter for this action","context":"response","messageCount":3})");
  EXPECT_EQ(client.request("paramAdd key=myKey").dump(),
            R"({"status":"OK","context":"response","data":null,"messageCount":4})");
  EXPECT_EQ(client.request("paramAdd value=myValue").dump(),
            R"({"status":"OK","context":"response","data":null,"messageCount":5})");
  EXPECT_EQ(
      client.request("paramsView").dump(),
      R"({"status":"OK","context":"response","data":{"action":"cacheTest","key":"myKey","value":"myValue"},"messageCount":6})");

  auto before = wall_ms();
  Json cached = client.request("cacheTest");
  const Json& results = cached["cacheTestResults"];
  EXPECT_EQ(results["saveResp"], true);
  EXPECT_EQ(results["sizeResp"], 1);
  EXPECT_EQ(results["loadResp"]["key"], "cacheTest_myKey");
  EXPECT_EQ(results["loadResp"]["value"], "myValue");
  std::int64_t created = results["loadResp"]["createdAt"];
  EXPECT_GE(created, before - 1000);
  EXPECT_EQ(results["loadResp"]["expireTimestamp"].get<std::int64_t>(), created + 5000);
  EXPECT_GE(results["loadResp"]["readAt"].get<std::int64_t>(), created);
  EXPECT_EQ(results["deleteResp"], true);
  EXPECT_EQ(cached["messageCount"], 7);
  std::vector<std::string> keys;
  for (auto it = cached.begin(); it != cached.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"cacheTestResults", "context", "messageCount"}));

  client.send_line("say defaultRoom hooray!");
  EXPECT_EQ(client.read_json()["message"], "hooray!");
  EXPECT_EQ(client.read_json().dump(), R"({"status":"OK","context":"response","data":null,"messageCount":8})");
}

TEST(Actions, ValidatorMessagesAreErrors) {
  ServerProcess server;
  Client client(server.port());
  EXPECT_EQ(client.request(R"({"action":"cacheTest","params":{"key":"k","value":"ab"}})")["error"],
            "Error: `value` should be at least 3 letters long");
}

TEST(Actions, SixPipelinedSleepsTheSixthRefusedFirstTheRestByDuration) {
  ServerProcess server;
  Client client(server.port());
  std::string burst;
  for (int ms : {500, 400, 300, 200, 100, 50}) {
    burst += R"({"action":"sleepTest","params":{"sleepDuration":)" + std::to_string(ms) + "}}\n";
  }
  client.send(burst);
  EXPECT_EQ(client.read_json().dump(),
            R"({"error":"Error: you have too many pending requests","context":"response","messageCount":6})");
  for (int count : {5, 4, 3, 2, 1}) {
    Json answer = client.read_json();
    EXPECT_EQ(answer["messageCount"], count);
    EXPECT_GE(answer["sleepDelta"].get<int>(), answer["sleepDuration"].get<int>());
  }
}

TEST(Actions, SleepTestTakesItsDurationAsAStringToo) {
  ServerProcess server;
  Client client(server.port());
  client.request("paramAdd sleepDuration=20");
  Json answer = client.request("sleepTest");
  EXPECT_EQ(answer["sleepDuration"], 20);
  std::vector<std::string> keys;
  for (auto it = answer.begin(); it != answer.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"sleepStarted", "sleepEnded", "sleepDelta", "sleepDuration",
                                            "context", "messageCount"}));
}

TEST(Actions, StatusReportsTheServer) {
  ServerProcess server("[server]\nid = \"test-server\"\n");
  Client client(server.port());
  Client other(server.port());
  client.request("randomNumber");
  Json status = client.request("status");
  EXPECT_EQ(status["id"], "test-server");
  EXPECT_TRUE(status["serverVersion"].is_string());
  EXPECT_GE(status["uptime"].get<std::int64_t>(), 0);
  EXPECT_EQ(status["connections"], 2);
  EXPECT_GE(status["actionsServed"].get<int>(), 1);
  EXPECT_EQ(status["reloads"], 0);
  EXPECT_EQ(status["reloadsRefused"], 0);
  std::set<std::string> files;
  for (const auto& plugin : status["plugins"]) {
    files.insert(plugin["file"].get<std::string>());
    EXPECT_TRUE(plugin["version"].is_string());
    EXPECT_TRUE(plugin["actions"].is_array());
  }
  EXPECT_EQ(files, (std::set<std::string>{"cache_test.so", "random_number.so", "show_documentation.so",
                                          "sleep_test.so", "status.so"}));
}

class TestPlugins : public ::testing::Test {
 protected:
  PluginDir plugins_;
};

TEST_F(TestPlugins, DefaultsFormattersValidatorsThenAMissingParamWins) {
  plugins_.add("echo");
  ServerProcess server(plugins_.config());
  Client client(server.port());
  EXPECT_EQ(client.request(R"({"action":"echo","params":{}})")["error"],
            "Error: needed is a required parameter for this action");
  EXPECT_EQ(client.request(R"({"action":"echo","params":{"needed":""}})")["error"],
            "Error: needed is a required parameter for this action");
  // As in actionhero, a missing required param wins over a failed validator, even one of
  // an earlier input (SPEC §4.4).
  EXPECT_EQ(client.request(R"({"action":"echo","params":{"number":"11"}})")["error"],
            "Error: needed is a required parameter for this action");
  EXPECT_EQ(client.request(R"({"action":"echo","params":{"number":"11","needed":1}})")["error"],
            "Error: number should be at most 10");
  Json echoed = client.request(
      R"({"action":"echo","params":{"needed":1,"number":"7","extra":true,"messageId":"m"}})");
  EXPECT_EQ(echoed["params"], (Json{{"needed", 1}, {"number", 7}, {"messageId", "m"}, {"word", "hello"}}));
  EXPECT_EQ(echoed["messageId"], "m");
}

TEST_F(TestPlugins, ScrubbingOffKeepsEveryParam) {
  plugins_.add("echo");
  ServerProcess server(plugins_.config() + "[server]\ndisable_param_scrubbing = true\n");
  Client client(server.port());
  Json echoed = client.request(R"({"action":"echo","params":{"needed":1,"extra":true}})");
  EXPECT_EQ(echoed["params"]["extra"], true);
}

TEST_F(TestPlugins, StickyParamsAreScrubbedForTheActionButKept) {
  plugins_.add("echo");
  ServerProcess server(plugins_.config());
  Client client(server.port());
  client.request("paramAdd needed=yes");
  client.request("paramAdd callback=cb");
  Json echoed = client.request("echo");
  EXPECT_EQ(echoed["params"],
            (Json{{"needed", "yes"}, {"callback", "cb"}, {"action", "echo"}, {"word", "hello"}}));
  EXPECT_EQ(client.request("paramsView")["data"],
            (Json{{"needed", "yes"}, {"callback", "cb"}, {"action", "echo"}}));
}

TEST_F(TestPlugins, ApiVersionChoosesTheVersion) {
  plugins_.add("versioned");
  ServerProcess server(plugins_.config());
  Client client(server.port());
  EXPECT_EQ(client.request(R"({"action":"versioned"})")["version"], 2);
  EXPECT_EQ(client.request(R"({"action":"versioned","params":{"apiVersion":1}})")["version"], 1);
  EXPECT_EQ(client.request(R"({"action":"versioned","params":{"apiVersion":"1"}})")["version"], 1);
  EXPECT_EQ(client.request(R"({"action":"versioned","params":{"apiVersion":3}})")["error"],
            "Error: unknown action or invalid apiVersion");
  client.request("paramAdd apiVersion=1");
  EXPECT_EQ(client.request("versioned")["version"], 1);
}

TEST_F(TestPlugins, ExceptionsBecomeErrorsAndTheServerKeepsServing) {
  plugins_.add("throwing");
  ServerProcess server(plugins_.config());
  Client client(server.port());
  EXPECT_EQ(client.request("throwingAction").dump(),
            R"({"error":"Error: boom","context":"response","messageCount":1})");
  EXPECT_EQ(client.request("throwingLater")["error"], "Error: bang");
  EXPECT_EQ(client.request(R"({"action":"throwingFormatter","params":{"x":1}})")["error"], "Error: bad x");
  EXPECT_EQ(client.request("notAnObject")["error"], "Error: the action's response is not a JSON object");
  EXPECT_EQ(client.request("claimsTheTag").dump(), R"({"value":1,"context":"response","messageCount":5})");
  EXPECT_EQ(client.request("paramsView")["messageCount"], 6);
}

TEST_F(TestPlugins, AnswersFromAnotherThreadExactlyOnce) {
  plugins_.add("late_answer");
  ServerProcess server(plugins_.config());
  Client client(server.port());
  std::string burst;
  for (int i = 0; i < 20; ++i)
    burst += R"({"action":"lateAnswer","params":{"delay":)" + std::to_string(i % 5) + "}}\n";
  client.send(burst);  // 5 in flight at most; the rest are refused
  std::set<int> counts;
  int answered = 0;
  for (int i = 0; i < 20; ++i) {
    Json answer = client.read_json();
    counts.insert(answer["messageCount"].get<int>());
    answered += answer.value("answeredFrom", "") == "another thread";
  }
  EXPECT_EQ(counts.size(), 20u);  // one answer per request, none twice
  EXPECT_EQ(answered, 5);
  EXPECT_EQ(client.request("paramsView")["messageCount"], 21);
  EXPECT_EQ(server.count_log("exactly-once was not enforced"), 0);
}

TEST_F(TestPlugins, ATimedOutActionIsAnsweredOnceAndItsLateAnswerDropped) {
  plugins_.add("late_answer").add("never_answers");
  ServerProcess server(plugins_.config() + "[actions]\ntimeout_ms = 100\n");
  Client client(server.port());
  EXPECT_EQ(client.request("neverAnswers").dump(),
            R"({"error":"Error: the action timed out","context":"response","messageCount":1})");
  EXPECT_EQ(client.request(R"({"action":"lateAnswer","params":{"delay":400}})")["error"],
            "Error: the action timed out");
  EXPECT_TRUE(server.wait_for_log("answered after its timeout; the answer was dropped"));
  EXPECT_EQ(client.request("releaseHeld")["released"], 1);
  EXPECT_EQ(client.request("detailsView")["data"]["pendingActions"], 0);
  EXPECT_EQ(client.request("paramsView")["messageCount"], 5);  // nothing extra arrived
}

TEST_F(TestPlugins, BlockingActionsDoNotHoldTheIoThread) {
  plugins_.add("blocking").add("random_number");
  ServerProcess server(plugins_.config() + "[server]\nthreads = 1\n");
  Client sleeper(server.port());
  Client other(server.port());
  sleeper.send_line(R"({"action":"blockingSleep","params":{"ms":600}})");
  EXPECT_TRUE(other.request("randomNumber")["randomNumber"].is_number());
  auto answered_at = wall_ms();
  Json slept = sleeper.read_json();
  EXPECT_LT(answered_at, slept["endedAt"].get<std::int64_t>()) << "the other client waited for the sleep";
}

TEST_F(TestPlugins, BrokenPluginsAreRefusedOneLineEachAndTheRestServe) {
  plugins_.add_all_shipped().add("wrong_abi").add("not_a_plugin").add("duplicate_action").add("refuses_load");
  plugins_.write("garbage.so", "this is not a library\n");
  ServerProcess server(plugins_.config());
  const std::string dir = plugins_.path();
  EXPECT_EQ(server.count_log("plugin " + dir +
                             "/wrong_abi.so refused: was built for plugin ABI version 999; "
                             "this server supports versions 1 to 2"),
            1)
      << server.log();
  EXPECT_EQ(server.count_log("plugin " + dir + "/not_a_plugin.so refused: is not an actionhost plugin"), 1);
  EXPECT_EQ(server.count_log("plugin " + dir + "/garbage.so refused: is not a loadable shared library"), 1);
  // Files load in name order, so duplicate_action.so claims randomNumber first.
  EXPECT_EQ(server.count_log("plugin " + dir +
                             "/random_number.so refused: action randomNumber version 1 "
                             "is already served by duplicate_action.so"),
            1);
  EXPECT_EQ(server.count_log("plugin " + dir +
                             "/refuses_load.so refused: refused to load: the database it "
                             "needs is not configured"),
            1);
  Client client(server.port());
  EXPECT_EQ(client.request("randomNumber")["randomNumber"], 4);
  EXPECT_EQ(client.request("status")["plugins"].size(), 5u);  // 4 shipped + duplicate_action
  EXPECT_EQ(client.request("neverPublished")["error"], "Error: unknown action or invalid apiVersion");
}

TEST(ActionsShutdown, ActionsInFlightFinishBeforeTheGoodbye) {
  ServerProcess server;
  Client sleeper(server.port());
  Client late(server.port());
  sleeper.send_line(R"({"action":"sleepTest","params":{"sleepDuration":400}})");
  // Answered before the sleep, on the same connection: the sleep is in flight now.
  ASSERT_EQ(sleeper.request("paramsView")["messageCount"], 2);
  std::thread stopper([&] { EXPECT_EQ(server.stop(SIGTERM), 0); });
  ASSERT_TRUE(server.wait_for_log("received SIGTERM"));
  EXPECT_EQ(late.request("randomNumber")["error"], "Error: the server is shutting down");
  Json slept = sleeper.read_json();
  EXPECT_EQ(slept["sleepDuration"], 400);
  EXPECT_EQ(sleeper.read_line(), R"({"status":"Bye!","context":"api"})");
  EXPECT_EQ(late.read_line(), R"({"status":"Bye!","context":"api"})");
  stopper.join();
}

TEST(Actions, EveryPipelinedRequestGetsExactlyOneAnswer) {
  ServerProcess server;
  Client client(server.port());
  const std::vector<std::string> lines = {
      "randomNumber", "status",     "paramsView", "noSuchAction", R"({"action":"randomNumber"})",
      "{bad json",    "detailsView"};
  std::string burst;
  constexpr int kRequests = 700;
  for (int i = 0; i < kRequests; ++i) burst += lines[i % lines.size()] + "\n";
  client.send(burst);
  std::set<int> counts;
  for (int i = 0; i < kRequests; ++i) counts.insert(client.read_json()["messageCount"].get<int>());
  EXPECT_EQ(counts.size(), static_cast<std::size_t>(kRequests));
  EXPECT_EQ(*counts.rbegin(), kRequests);
  EXPECT_EQ(client.request("paramsView")["messageCount"], kRequests + 1);
}

}  // namespace
}  // namespace actionhost::test
