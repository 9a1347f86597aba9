// The binary's flags (SPEC §2) and its config errors at start.

#include <gtest/gtest.h>

#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

TEST(Cli, Version) {
  auto result = run_process({ACTIONHOST_BINARY, "--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.output.rfind("actionhost ", 0), 0u) << result.output;
}

TEST(Cli, HelpListsEveryFlag) {
  auto result = run_process({ACTIONHOST_BINARY, "--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* flag : {"--config", "--set", "--check", "--version", "--help"}) {
    EXPECT_NE(result.output.find(flag), std::string::npos) << flag;
  }
}

TEST(Cli, AnUnknownFlagIsAnError) {
  auto result = run_process({ACTIONHOST_BINARY, "--bogus"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("--help"), std::string::npos) << result.output;
}

TEST(Cli, CheckListsPluginsActionsAndVersions) {
  auto result = run_process({ACTIONHOST_BINARY, "--check", "--config",
                             ACTIONHOST_SOURCE_DIR "/config/actionhost.toml", "--set",
                             "plugins.dir=" ACTIONHOST_PLUGIN_DIR});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find("OK"), std::string::npos);
  EXPECT_NE(result.output.find("random_number.so: randomNumber 1.0.0\n    randomNumber v1\n"),
            std::string::npos)
      << result.output;
  for (const char* action : {"status v1", "sleepTest v1", "cacheTest v1", "showDocumentation v1"}) {
    EXPECT_NE(result.output.find(action), std::string::npos) << action;
  }
  EXPECT_EQ(result.output.find("listening on"), std::string::npos);
}

TEST(Cli, CheckShowsEachPluginsSettingsAndHooks) {
  PluginDir plugins;
  plugins.add("token_auth").add("room_notices");
  TempDir dir;
  std::string config = dir.write("actionhost.toml", plugins.config() +
                                                        "[plugins.config.tokenAuth]\n"
                                                        "token = \"s3cret\"\nprotect = [\"status\"]\n"
                                                        "[plugins.config.notLoaded]\nx = 1\n");
  auto result = run_process({ACTIONHOST_BINARY, "--check", "--config", config});
  EXPECT_EQ(result.exit_code, 0) << result.output;
  EXPECT_NE(result.output.find(
                "token_auth.so: tokenAuth 1.0.0\n    login v1\n    hook before (priority 100)\n"
                "    settings [plugins.config.tokenAuth]: {\"protect\":[\"status\"],\"token\":\"s3cret\"}\n"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("hook join (priority 100)\n    hook leave (priority 100)\n"), std::string::npos)
      << result.output;
}

TEST(Cli, CheckReportsEveryPluginProblemAndExitsOne) {
  PluginDir plugins;
  plugins.add("random_number").add("wrong_abi");
  plugins.write("garbage.so", "nope");
  auto result = run_process({ACTIONHOST_BINARY, "--check", "--config",
                             ACTIONHOST_SOURCE_DIR "/config/actionhost.toml", "--set",
                             "plugins.dir=" + plugins.path()});
  EXPECT_EQ(result.exit_code, 1) << result.output;
  EXPECT_NE(result.output.find("randomNumber v1"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("problem: plugin " + plugins.path() +
                               "/wrong_abi.so refused: was built for plugin ABI version 999"),
            std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find("problem: plugin " + plugins.path() + "/garbage.so refused"), std::string::npos);
}

TEST(Cli, CheckReportsEveryConfigProblemAndExitsOne) {
  TempDir dir;
  std::string file = dir.write("bad.toml", "[socket]\nport = \"x\"\nnope = 1\n");
  auto result = run_process({ACTIONHOST_BINARY, "--check", "--config", file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find(file + ":2: socket.port: expected an integer"), std::string::npos)
      << result.output;
  EXPECT_NE(result.output.find(file + ":3: socket.nope: unknown key"), std::string::npos);
}

TEST(Cli, AConfigErrorStopsTheServerBeforeItListens) {
  TempDir dir;
  std::string file = dir.write("bad.toml", "[log]\nlevel = \"loud\"\n");
  auto result = run_process({ACTIONHOST_BINARY, "--config", file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find(file + ":2: log.level: expected one of"), std::string::npos);
  EXPECT_EQ(result.output.find("listening on"), std::string::npos);
}

TEST(Cli, SetOverridesTheConfigFile) {
  ServerProcess server("[server]\nname = \"from file\"\n", {"--set", "server.name=from flag"});
  EXPECT_TRUE(server.wait_for_log("from flag (server id"));
}

TEST(Cli, AMissingConfigFileIsNamed) {
  auto result = run_process({ACTIONHOST_BINARY, "--config", "/nonexistent.toml"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("/nonexistent.toml: cannot read the config file"), std::string::npos);
}

TEST(Cli, APortInUseIsNamed) {
  ServerProcess first;
  auto result = run_process({ACTIONHOST_BINARY, "--config", first.dir().path() + "/actionhost.toml", "--set",
                             "socket.port=" + std::to_string(first.port()), "--set", "socket.bind=127.0.0.1"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos)
      << result.output;
}

}  // namespace
}  // namespace actionhost::test

namespace actionhost::test {
namespace {

TEST(Cli, TheListeningLineIsLoggedAtAnyLogLevel) {
  ServerProcess server("[log]\nlevel = \"error\"\n");  // the constructor reads the port from it
  EXPECT_GT(server.port(), 0);
}

}  // namespace
}  // namespace actionhost::test
