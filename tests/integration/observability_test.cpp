// What operators watch (SPEC §10): GET /metrics and GET /healthz on metrics.listen, and one
// log line per action (log.actions, log.filter_params). The metrics are read with the
// reference Prometheus client's parser (python3-prometheus-client), as a scraper would.

#include <gtest/gtest.h>

#include <signal.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "support/client.hpp"
#include "support/redis_server.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

namespace asio = boost::asio;

const std::string kMetrics = "[metrics]\nlisten = \"127.0.0.1:0\"\n";

struct HttpAnswer {
  int status = 0;  // 0: no answer
  std::string body;
};

// One GET with "Connection: close"; the answer is read to the end.
HttpAnswer http_get(std::uint16_t port, const std::string& path) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return {};
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  asio::write(socket, asio::buffer(request), ec);
  std::string answer;
  asio::read(socket, asio::dynamic_buffer(answer), ec);  // until the server closes
  HttpAnswer parsed;
  std::smatch status;
  if (!std::regex_search(answer, status, std::regex("^HTTP/1\\.1 (\\d{3}) "))) return {};
  parsed.status = std::stoi(status[1]);
  const auto body = answer.find("\r\n\r\n");
  if (body != std::string::npos) parsed.body = answer.substr(body + 4);
  return parsed;
}

// The port of "metrics on http://127.0.0.1:PORT", the newest such line.
std::uint16_t metrics_port(ServerProcess& server) {
  EXPECT_TRUE(server.wait_for_log("metrics on http://127.0.0.1:")) << server.log();
  const std::string log = server.log();
  std::smatch found;
  std::uint16_t port = 0;
  auto from = log.cbegin();
  const std::regex line("metrics on http://127\\.0\\.0\\.1:(\\d+)");
  while (std::regex_search(from, log.cend(), found, line)) {
    port = static_cast<std::uint16_t>(std::stoi(found[1]));
    from = found[0].second;
  }
  return port;
}

// Every sample of a scrape, as the Prometheus client's parser read it; fails the test when
// the parser refuses the text.
class Samples {
 public:
  explicit Samples(const std::string& text) {
    TempDir dir;
    const std::string file = dir.write("metrics.txt", text);
    auto parsed = run_process(
        {"/usr/bin/python3", std::string(ACTIONHOST_SOURCE_DIR) + "/tests/support/parse_metrics.py", file});
    EXPECT_EQ(parsed.exit_code, 0) << parsed.output << "\n" << text;
    std::istringstream lines(parsed.output);
    for (std::string line; std::getline(lines, line);) {
      if (!line.empty()) samples_.push_back(Json::parse(line));
    }
  }

  // The value of the sample `name` with (at least) these labels; -1 when there is none.
  double value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& sample : samples_) {
      if (sample["name"] != name) continue;
      bool matches = true;
      for (const auto& [key, wanted] : labels) matches = matches && sample["labels"].value(key, "") == wanted;
      if (matches && sample["value"].is_number()) return sample["value"].get<double>();
    }
    return -1;
  }
  double sum(const std::string& name) const {
    double total = 0;
    for (const auto& sample : samples_) {
      if (sample["name"] == name && sample["value"].is_number()) total += sample["value"].get<double>();
    }
    return total;
  }
  bool has(const std::string& name) const { return value(name) >= 0; }
  std::string type_of(const std::string& name) const {
    for (const auto& sample : samples_) {
      if (sample["name"] == name) return sample["type"];
    }
    return "";
  }

 private:
  std::vector<Json> samples_;
};

Samples scrape(std::uint16_t port) {
  HttpAnswer answer = http_get(port, "/metrics");
  EXPECT_EQ(answer.status, 200);
  return Samples(answer.body);
}

template <class Probe>
bool eventually(Probe probe, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return probe();
}

TEST(Metrics, AreValidPrometheusTextAndMatchTheStatusAction) {
  PluginDir plugins;
  plugins.add_all_shipped().add("throwing");
  ServerProcess server(plugins.config() + kMetrics);
  const std::uint16_t port = metrics_port(server);
  Client client(server.port());
  Client idle(server.port());
  for (int i = 0; i < 20; ++i) client.send_line("randomNumber");
  for (int i = 0; i < 3; ++i) client.send_line("noSuchAction");
  for (int i = 0; i < 2; ++i) client.send_line(R"({"action":"cacheTest","params":{"key":"k","value":"ab"}})");
  for (int i = 0; i < 2; ++i) client.send_line("throwingAction");
  for (int i = 0; i < 27; ++i) ASSERT_EQ(client.read_json()["context"], "response");
  const Json status = client.request("status");
  const Samples metrics = scrape(port);

  EXPECT_EQ(metrics.type_of("actionhost_requests_total"), "counter");
  EXPECT_EQ(metrics.type_of("actionhost_request_duration_seconds_bucket"), "histogram");
  // Every action answered, the status call itself included (counted once answered).
  EXPECT_EQ(metrics.sum("actionhost_requests_total"), status["actionsServed"].get<double>() + 1);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "randomNumber"}, {"outcome", "ok"}}), 20);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "randomNumber"}, {"outcome", "error"}}), 0);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "(unknown)"}, {"outcome", "refused"}}), 3);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "cacheTest"}, {"outcome", "refused"}}), 2);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "throwingAction"}, {"outcome", "error"}}),
            2);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "status"}, {"outcome", "ok"}}), 1);
  EXPECT_EQ(metrics.value("actionhost_request_duration_seconds_count", {{"action", "randomNumber"}}), 20);
  EXPECT_EQ(
      metrics.value("actionhost_request_duration_seconds_bucket", {{"action", "randomNumber"}, {"le", "+Inf"}}),
      20);
  EXPECT_GT(metrics.value("actionhost_request_duration_seconds_sum", {{"action", "randomNumber"}}), 0);
  EXPECT_EQ(metrics.value("actionhost_connections"), status["connections"].get<double>());
  EXPECT_EQ(metrics.value("actionhost_connections"), 2);
  // Every byte both clients sent, and every byte of every line they read.
  EXPECT_EQ(metrics.value("actionhost_bytes_received_total"),
            static_cast<double>(client.bytes_sent() + idle.bytes_sent()));
  // Counted once write() returns, which may be just after the client has read them.
  const double read = static_cast<double>(client.bytes_read() + idle.bytes_read());
  EXPECT_TRUE(eventually([&] { return scrape(port).value("actionhost_bytes_sent_total") == read; }))
      << scrape(port).value("actionhost_bytes_sent_total") << " sent, " << read << " read";
  EXPECT_EQ(metrics.value("actionhost_plugin_loads_total", {{"result", "loaded"}}),
            static_cast<double>(status["plugins"].size()));
  EXPECT_EQ(metrics.value("actionhost_plugin_loads_total", {{"result", "refused"}}), 0);
  EXPECT_EQ(metrics.value("actionhost_plugins_quarantined"), 0);
  EXPECT_EQ(metrics.value("actionhost_crashes_total"), 0);
  EXPECT_FALSE(metrics.has("actionhost_cluster_up")) << "only in cluster mode";

  // A file that is not a plugin counts as a refused load.
  plugins.write("broken.so", "not an ELF file");
  ASSERT_TRUE(server.wait_for_log("broken.so refused")) << server.log();
  EXPECT_EQ(scrape(port).value("actionhost_plugin_loads_total", {{"result", "refused"}}), 1);

  EXPECT_EQ(http_get(port, "/nothing-here").status, 404);
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
  EXPECT_EQ(server.count_log("listening on"), 1) << "only the socket server's line says so";
}

TEST(Metrics, ATimeoutIsCountedOnceAndOneLineSaysWhy) {
  PluginDir plugins;
  plugins.add("late_answer");
  ServerProcess server(plugins.config() + kMetrics + "[actions]\ntimeout_ms = 100\n");
  const std::uint16_t port = metrics_port(server);
  Client client(server.port());
  // Answered from a thread of its own per call, after the timeout: the late answer is dropped.
  EXPECT_EQ(client.request(R"({"action":"lateAnswer","params":{"delay":400}})")["error"],
            "Error: the action timed out");
  EXPECT_TRUE(server.wait_for_log("answered after its timeout; the answer was dropped")) << server.log();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(client.request(R"({"action":"lateAnswer","params":{"delay":1}})")["twice"], nullptr);
  }
  const Samples metrics = scrape(port);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "lateAnswer"}, {"outcome", "timeout"}}), 1);
  EXPECT_EQ(metrics.value("actionhost_requests_total", {{"action", "lateAnswer"}, {"outcome", "ok"}}), 5);
  EXPECT_EQ(metrics.sum("actionhost_requests_total"), 6);
  EXPECT_EQ(server.count_log("did not answer within"), 1) << server.log();  // one line says why
  EXPECT_EQ(server.count_log("action lateAnswer v1 failed in "), 1) << server.log();
  EXPECT_EQ(server.count_log("the action timed out: it did not answer within 100 ms (actions.timeout_ms)"), 1)
      << server.log();
}

TEST(Metrics, LinesThatAreNotRequestsCountAsRefusedUnknownActions) {
  ServerProcess server(kMetrics);
  const std::uint16_t port = metrics_port(server);
  Client client(server.port());
  EXPECT_TRUE(client.request("{not json").contains("error"));
  EXPECT_TRUE(client.request(R"({"params":{}})").contains("error"));
  client.send("\xff\xfe\n");
  EXPECT_TRUE(client.read_json().contains("error"));
  EXPECT_EQ(scrape(port).value("actionhost_requests_total", {{"action", "(unknown)"}, {"outcome", "refused"}}),
            3);
  EXPECT_EQ(server.count_log("action (unknown) failed in "), 3) << server.log();
}

TEST(Metrics, IdleConnectionsCannotKeepTheProbeOut) {
  ServerProcess server(kMetrics);
  const std::uint16_t port = metrics_port(server);
  asio::io_context io;
  std::vector<asio::ip::tcp::socket> idle;
  for (int i = 0; i < 80; ++i) {
    idle.emplace_back(io).connect({asio::ip::make_address("127.0.0.1"), port});
  }
  // Each new connection past 64 pushes out the one that waited longest for a request.
  HttpAnswer health = http_get(port, "/healthz");
  EXPECT_EQ(health.status, 200) << server.log();
  EXPECT_EQ(http_get(port, "/metrics").status, 200);
}

TEST(Metrics, HealthzIsServingThen503WhileShuttingDown) {
  PluginDir plugins;
  plugins.add("random_number").install("blocking", "blocking");
  ServerProcess server(plugins.config() + kMetrics + "[server]\nshutdown_grace_ms = 30000\n");
  const std::uint16_t port = metrics_port(server);
  HttpAnswer serving = http_get(port, "/healthz");
  EXPECT_EQ(serving.status, 200);
  EXPECT_EQ(serving.body, "serving\n");

  TempDir scratch;
  const std::string release = scratch.path() + "/release";
  Client client(server.port());
  client.send_line(Json{{"action", "blockingUntil"}, {"params", {{"path", release}}}}.dump());
  ASSERT_EQ(client.request("detailsView")["data"]["pendingActions"], 1);
  ASSERT_EQ(::kill(server.pid(), SIGTERM), 0);
  // The action in flight holds the shutdown open: the probe says so, and metrics still answer.
  EXPECT_TRUE(eventually([&] { return http_get(port, "/healthz").status == 503; })) << server.log();
  EXPECT_EQ(http_get(port, "/healthz").body, "shutting down\n");
  EXPECT_EQ(http_get(port, "/metrics").status, 200);
  scratch.write("release", "");
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

TEST(Metrics, CrashesSurviveTheRestartAndTheOtherCountersStartAgain) {
  PluginDir plugins;
  plugins.add("random_number").add("status").add("crasher");
  ServerProcess server("[server]\nsupervise = true\n" + plugins.config() + kMetrics);
  std::uint16_t port = metrics_port(server);
  {
    Client victim(server.port());
    EXPECT_TRUE(victim.request("randomNumber").contains("randomNumber"));
    EXPECT_EQ(scrape(port).value("actionhost_requests_total", {{"action", "randomNumber"}, {"outcome", "ok"}}),
              1);
    victim.send_line("segfault");
    EXPECT_TRUE(victim.closed_by_server(10s));
  }
  ASSERT_TRUE(server.wait_for_log_count("metrics on http://", 2)) << server.log();
  port = metrics_port(server);
  const Samples metrics = scrape(port);
  EXPECT_EQ(metrics.value("actionhost_crashes_total"), 1);
  EXPECT_EQ(metrics.value("actionhost_plugins_quarantined"), 1);
  EXPECT_EQ(metrics.value("actionhost_plugin_loads_total", {{"result", "quarantined"}}), 1);
  EXPECT_EQ(metrics.sum("actionhost_requests_total"), 0) << "a new child counts from zero";
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

TEST(Metrics, InClusterModeSayWhetherRedisIsUpAndHealthzStaysServingWithoutIt) {
  RedisServer redis;
  ServerProcess server("[cluster]\nredis = \"" + redis.url() + "\"\ntoken = \"t\"\n" + kMetrics);
  const std::uint16_t port = metrics_port(server);
  ASSERT_TRUE(server.wait_for_log("cluster: connected to redis")) << server.log();
  EXPECT_EQ(scrape(port).value("actionhost_cluster_up"), 1);
  redis.kill();
  ASSERT_TRUE(server.wait_for_log("cluster: lost redis")) << server.log();
  EXPECT_EQ(scrape(port).value("actionhost_cluster_up"), 0);
  EXPECT_EQ(http_get(port, "/healthz").status, 200) << "actions are still served";
  EXPECT_EQ(server.stop(SIGTERM), 0) << server.log();
}

TEST(MetricsConfig, ABadListenAddressOrABusyPortIsAnErrorThatSaysSo) {
  TempDir dir;
  const std::string config = dir.write("bad.toml", "[metrics]\nlisten = \"9100\"\n");
  auto bad = run_process({ACTIONHOST_BINARY, "--config", config, "--check"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find("metrics.listen"), std::string::npos) << bad.output;
  EXPECT_NE(bad.output.find("\"HOST:PORT\""), std::string::npos) << bad.output;

  ServerProcess first(kMetrics);
  const std::uint16_t taken = metrics_port(first);
  const std::string busy_config = dir.write(
      "busy.toml", "[metrics]\nlisten = \"127.0.0.1:" + std::to_string(taken) + "\"\n");
  auto busy = run_process({ACTIONHOST_BINARY, "--config", busy_config, "--set", "socket.port=0", "--set",
                           "server.supervise=false", "--set",
                           "plugins.dir=\"" + std::string(ACTIONHOST_PLUGIN_DIR) + "\""});
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.output.find("metrics.listen: cannot bind 127.0.0.1:" + std::to_string(taken)),
            std::string::npos)
      << busy.output;
}

// ------------------------------------------------------------------- log.actions --

// The line of the log containing `text` (the last one).
std::string log_line(ServerProcess& server, const std::string& text) {
  std::string line;
  std::istringstream lines(server.log());
  for (std::string each; std::getline(lines, each);) {
    if (each.find(text) != std::string::npos) line = each;
  }
  return line;
}

TEST(ActionLog, AFailedActionIsOneWarnLineWithItsParamsFiltered) {
  PluginDir plugins;
  plugins.add("random_number").add("throwing").add("echo");
  ServerProcess server(plugins.config());
  Client client(server.port());
  const std::string id = client.request("detailsView")["data"]["id"];
  EXPECT_TRUE(client.request("randomNumber").contains("randomNumber"));
  // Refused by a validator, before the body: the params as sent.
  const Json refused = {
      {"action", "echo"},
      {"params",
       {{"number", "11"}, {"needed", {{"token", "sekrit-token"}}}, {"password", "hunter2"}, {"user", "me"}}}};
  EXPECT_EQ(client.request(refused.dump())["error"], "Error: number should be at most 10");
  // Failed in its body.
  EXPECT_EQ(client.request("throwingAction")["error"], "Error: boom");
  EXPECT_TRUE(client.request("noSuchAction\x01").contains("error"));
  ASSERT_TRUE(server.wait_for_log("action noSuchAction\\x01 failed in ")) << server.log();

  EXPECT_EQ(server.count_log("action echo"), 1) << server.log();
  const std::string line = log_line(server, "action echo");
  EXPECT_NE(line.find("[warning] action echo v1 failed in "), std::string::npos) << line;
  EXPECT_NE(line.find(" ms: number should be at most 10 (connection " + id + ", params {"), std::string::npos)
      << line;
  EXPECT_NE(line.find(R"("password":"[FILTERED]")"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("needed":{"token":"[FILTERED]"})"), std::string::npos) << line;
  EXPECT_NE(line.find(R"("user":"me")"), std::string::npos) << line;
  EXPECT_EQ(line.find("hunter2"), std::string::npos) << line;
  // Not a string a hex connection id can hold: "abc" once matched a UUID.
  EXPECT_EQ(line.find("sekrit"), std::string::npos) << line;

  EXPECT_EQ(server.count_log("action throwingAction"), 1) << server.log();
  EXPECT_NE(log_line(server, "action throwingAction").find(" ms: boom (connection " + id), std::string::npos)
      << server.log();
  EXPECT_EQ(server.count_log("action noSuchAction"), 1) << server.log();
  EXPECT_EQ(server.count_log("action randomNumber"), 0) << "log.actions = \"errors\" by default";
}

TEST(ActionLog, AllLogsEveryActionAtInfoAndNoneLogsNothing) {
  {
    PluginDir plugins;
    plugins.add("echo");
    ServerProcess server(plugins.config() + "[log]\nactions = \"all\"\nfilter_params = [\"secret\"]\n");
    Client client(server.port());
    // Answered: the params it ran with (scrubbed to its inputs, defaults applied).
    EXPECT_TRUE(client.request(R"({"action":"echo","params":{"needed":{"secret":"s3","password":"p"},"x":1}})")
                    .contains("params"));
    ASSERT_TRUE(server.wait_for_log("] action echo v1 answered in ")) << server.log();
    EXPECT_EQ(server.count_log("[info] action echo v1 answered in "), 1) << server.log();
    EXPECT_NE(log_line(server, "action echo").find(R"("secret":"[FILTERED]")"), std::string::npos)
        << server.log();
    EXPECT_EQ(server.count_log("s3"), 0) << server.log();
    EXPECT_EQ(server.count_log(R"("password":"p")"), 1) << "only the listed params are filtered";
  }
  {
    ServerProcess server("[log]\nactions = \"none\"\n");
    {
      Client client(server.port());
      EXPECT_TRUE(client.request("noSuchAction").contains("error"));
    }
    // The closing line comes after the refusal's would have.
    ASSERT_TRUE(server.wait_for_log("closed: client closed the connection")) << server.log();
    EXPECT_EQ(server.count_log("action noSuchAction"), 0) << server.log();
  }
}

}  // namespace
}  // namespace actionhost::test
