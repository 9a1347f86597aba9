#include "config/config_loader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace actionhost {
namespace {

// A loaded config, or every problem, one per line of the Problem's message.
struct Loaded {
  Config config;
  std::vector<std::string> errors{""};  // errors[0] is printable even when there are none
  bool ok() const { return errors.empty(); }
};

Loaded loaded(Result<Config> result) {
  if (result) return {std::move(*result), {}};
  Loaded failed;
  failed.errors.clear();
  std::istringstream lines(result.problem().message);
  for (std::string line; std::getline(lines, line);) failed.errors.push_back(line);
  return failed;
}

Loaded load(std::string_view text, std::vector<std::string> overrides = {}) {
  return loaded(load_config_text(text, "test.toml", overrides));
}

TEST(ConfigLoader, AnEmptyFileGivesTheDefaults) {
  auto result = load("");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.config.socket.port, 5000);
  EXPECT_EQ(result.config.chat.default_room, "defaultRoom");
  EXPECT_EQ(result.config.socket.max_line_bytes, 1048576u);
}

TEST(ConfigLoader, PluginSettingsAreAnyTomlKeptAsJsonByPluginName) {
  auto result = load(R"(
[plugins.config.tokenAuth]
token = "s3cret"
protect = ["a", "b"]
[plugins.config.other]
limits = { max = 3, ratio = 0.5, on = true }
)");
  ASSERT_TRUE(result.ok()) << result.errors.front();
  const auto& settings = result.config.plugins.settings;
  ASSERT_EQ(settings.size(), 2u);
  // (Keys in name order, as toml++ keeps them.)
  EXPECT_EQ(settings.at("tokenAuth"), (Json{{"protect", {"a", "b"}}, {"token", "s3cret"}}));
  EXPECT_EQ(settings.at("other"), (Json{{"limits", {{"max", 3}, {"on", true}, {"ratio", 0.5}}}}));
  auto set = load("", {"plugins.config.tokenAuth.token=cli", "plugins.config.tokenAuth.n=3"});
  ASSERT_TRUE(set.ok()) << set.errors.front();
  EXPECT_EQ(set.config.plugins.settings.at("tokenAuth"), (Json{{"n", 3}, {"token", "cli"}}));
  auto too_deep = load("", {"plugins.config.a.b.c=1"});
  ASSERT_FALSE(too_deep.ok());
  auto wrong = load("[plugins]\nconfig = 3\n");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.errors.front(), "test.toml:2: plugins.config: expected tables [plugins.config.NAME], got 3");
}

TEST(ConfigLoader, ReadsEveryKind) {
  auto result = load(R"(
[server]
name = "api"
threads = 3
disable_param_scrubbing = true
[socket]
port = 0
max_connections = 10
[chat]
starting_rooms = ["a", "b"]
default_room = ""
[log]
format = "json"
)");
  ASSERT_TRUE(result.ok()) << result.errors[0];
  EXPECT_EQ(result.config.server.name, "api");
  EXPECT_EQ(result.config.server.threads, 3);
  EXPECT_TRUE(result.config.server.disable_param_scrubbing);
  EXPECT_EQ(result.config.socket.port, 0);
  EXPECT_EQ(result.config.socket.max_connections, 10u);
  EXPECT_EQ(result.config.chat.starting_rooms, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(result.config.chat.default_room, "");
  EXPECT_EQ(result.config.log.format, "json");
}

TEST(ConfigLoader, AWrongTypeNamesFileLineKeyAndExpectation) {
  auto result = load("[socket]\n\nport = \"abc\"\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0], "test.toml:3: socket.port: expected an integer from 0 to 65535, got \"abc\"");
}

TEST(ConfigLoader, AnOutOfRangeValueIsAnError) {
  auto result = load("[socket]\nport = 70000\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("socket.port: expected an integer from 0 to 65535, got 70000"),
            std::string::npos);
}

TEST(ConfigLoader, UnknownKeysAndSectionsAreErrors) {
  auto result = load("[socket]\nprot = 1\n[sockets]\nport = 1\n");
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_EQ(result.errors[0].rfind("test.toml:2: socket.prot: unknown key; known keys in [socket] are", 0), 0u)
      << result.errors[0];
  EXPECT_NE(result.errors[1].find("sockets: unknown section"), std::string::npos) << result.errors[1];
}

TEST(ConfigLoader, EveryProblemIsReported) {
  auto result = load("[log]\nlevel = \"loud\"\nformat = \"xml\"\n");
  ASSERT_EQ(result.errors.size(), 2u);
  EXPECT_NE(result.errors[0].find("log.level: expected one of \"trace\""), std::string::npos);
  EXPECT_NE(result.errors[1].find("log.format: expected one of \"text\" \"json\", got \"xml\""),
            std::string::npos);
}

TEST(ConfigLoader, InvalidTomlNamesTheLine) {
  auto result = load("[socket]\nport = = 3\n");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].rfind("test.toml:2:", 0), 0u) << result.errors[0];
  EXPECT_NE(result.errors[0].find("invalid TOML"), std::string::npos);
}

TEST(ConfigLoader, SetOverridesWithTomlValuesAndBareWords) {
  auto result = load("[socket]\nport = 1\n",
                     {"socket.port=5001", "server.name=my api", "chat.starting_rooms=[\"x\"]",
                      "socket.secure=true", "log.level=debug"});
  ASSERT_TRUE(result.ok()) << result.errors[0];
  EXPECT_EQ(result.config.socket.port, 5001);
  EXPECT_EQ(result.config.server.name, "my api");
  EXPECT_EQ(result.config.chat.starting_rooms, std::vector<std::string>{"x"});
  EXPECT_TRUE(result.config.socket.secure);
  EXPECT_EQ(result.config.log.level, "debug");
}

TEST(ConfigLoader, SetErrorsNameTheOverride) {
  auto result = load("", {"socket.port=abc", "socket.nope=1", "noequals"});
  ASSERT_EQ(result.errors.size(), 3u);
  EXPECT_EQ(result.errors[0].rfind("--set noequals: expected SECTION.KEY=VALUE", 0), 0u);
  EXPECT_EQ(result.errors[1],
            "--set socket.port: socket.port: expected an integer from 0 to 65535, got \"abc\"");
  EXPECT_EQ(result.errors[2].rfind("--set socket.nope: socket.nope: unknown key", 0), 0u);
}

TEST(ConfigLoader, AMissingFileSaysWhatToDo) {
  auto result = loaded(load_config_file("/nonexistent/actionhost.toml", {}));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("/nonexistent/actionhost.toml: cannot read the config file"),
            std::string::npos);
}

TEST(ConfigLoader, TheShippedConfigLoadsWithTheDefaults) {
  auto result = loaded(load_config_file(ACTIONHOST_SOURCE_DIR "/config/actionhost.toml", {}));
  ASSERT_TRUE(result.ok()) << result.errors[0];
  Config defaults;
  EXPECT_EQ(result.config.socket.port, defaults.socket.port);
  EXPECT_EQ(result.config.plugins.dir, defaults.plugins.dir);
  EXPECT_EQ(result.config.server.welcome_message, defaults.server.welcome_message);
}

}  // namespace
}  // namespace actionhost

namespace actionhost {
namespace {

TEST(ConfigLoader, MetricsListenIsHostColonPort) {
  EXPECT_EQ(load("").config.metrics.listen, "");
  auto v4 = load("[metrics]\nlisten = \"127.0.0.1:9100\"\n");
  ASSERT_TRUE(v4.ok()) << v4.errors[0];
  EXPECT_EQ(v4.config.metrics.host, "127.0.0.1");
  EXPECT_EQ(v4.config.metrics.port, 9100);
  auto v6 = load("[metrics]\nlisten = \"[::1]:0\"\n");
  ASSERT_TRUE(v6.ok()) << v6.errors[0];
  EXPECT_EQ(v6.config.metrics.host, "::1");
  EXPECT_EQ(v6.config.metrics.port, 0);
  for (const char* bad : {"9100", ":9100", "host:", "host:70000", "host:9x", "[::1:9100", "[]:1"}) {
    auto result = load(std::string("[metrics]\nlisten = \"") + bad + "\"\n");
    ASSERT_EQ(result.errors.size(), 1u) << bad;
    EXPECT_NE(result.errors[0].find("test.toml:2: metrics.listen: expected \"\" (off) or \"HOST:PORT\""),
              std::string::npos)
        << result.errors[0];
  }
}

TEST(ConfigLoader, LogActionsAndFilterParams) {
  auto defaults = load("");
  EXPECT_EQ(defaults.config.log.actions, "errors");
  EXPECT_EQ(defaults.config.log.filter_params, (std::vector<std::string>{"password", "token"}));
  auto set = load("[log]\nactions = \"all\"\nfilter_params = [\"secret\"]\n");
  ASSERT_TRUE(set.ok()) << set.errors[0];
  EXPECT_EQ(set.config.log.actions, "all");
  EXPECT_EQ(set.config.log.filter_params, std::vector<std::string>{"secret"});
  auto bad = load("[log]\nactions = \"some\"\nfilter_params = [1]\n");
  ASSERT_EQ(bad.errors.size(), 2u);
  EXPECT_NE(bad.errors[0].find("log.actions: expected one of \"none\" \"errors\" \"all\""), std::string::npos);
  EXPECT_NE(bad.errors[1].find("log.filter_params: expected an array of non-empty param names"),
            std::string::npos);
}

}  // namespace
}  // namespace actionhost
