// actionhost-cli in batch mode (SPEC §10), against the real server: the LINE arguments or
// standard input, one JSON line per answer on a pipe, and the exit codes.

#include <gtest/gtest.h>

#include "cli/cli_process.hpp"
#include "support/client.hpp"
#include "support/dev_certificate.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

std::vector<std::string> at_port(const ServerProcess& server, std::vector<std::string> args) {
  args.insert(args.begin(), {"--port", std::to_string(server.port())});
  return args;
}

TEST(ActionhostCli, PrintsOneJsonLinePerAnswerAndExitsZero) {
  ServerProcess server;
  auto run = run_cli(at_port(server, {"randomNumber", "status"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_GE(lines[0]["randomNumber"].get<double>(), 0.0);
  EXPECT_LT(lines[0]["randomNumber"].get<double>(), 1.0);
  EXPECT_EQ(lines[0]["context"], "response");
  EXPECT_EQ(lines[0]["messageCount"], 1);
  EXPECT_TRUE(lines[1]["serverVersion"].is_string()) << lines[1];
  EXPECT_GE(lines[1]["connections"].get<int>(), 1);
  EXPECT_EQ(lines[1]["messageCount"], 2);
  // Exactly the server's lines, "\r\n" made "\n".
  EXPECT_EQ(run.out.find('\r'), std::string::npos);
}

TEST(ActionhostCli, AnErrorAnswerExitsOneAfterEveryAnswerIsPrinted) {
  ServerProcess server;
  auto run = run_cli(at_port(server, {"roomView nowhere", "noSuchAction", "randomNumber"}));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0]["error"], "room does not exist");
  EXPECT_EQ(lines[1]["error"], "Error: unknown action or invalid apiVersion");
  EXPECT_TRUE(lines[2]["randomNumber"].is_number());
}

TEST(ActionhostCli, NothingListeningExitsTwoNamingTheAddress) {
  std::uint16_t port = unused_port();
  auto run = run_cli({"--port", std::to_string(port), "status"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("cannot connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("is the server running?"), std::string::npos) << run.err;
}

TEST(ActionhostCli, ReadsOneRequestPerLineOfStandardInput) {
  ServerProcess server;
  // Blank lines are skipped, as the server ignores them; "\r\n" ends a line too.
  auto run = run_cli(at_port(server, {}), {"status\n\n   \r\nroomView defaultRoom\r\nparamsView"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_TRUE(lines[0].contains("serverVersion")) << lines[0];
  EXPECT_EQ(lines[1]["data"]["room"], "defaultRoom");
  EXPECT_EQ(lines[1]["data"]["membersCount"], 1);
  EXPECT_EQ(lines[2]["messageCount"], 3);
}

TEST(ActionhostCli, ChatMessagesArePrintedAmongTheAnswersUnlessNoChat) {
  ServerProcess server;
  Client bob(server.port());
  // The sender gets its own message, before the answer to its say.
  auto run = run_cli(at_port(server, {"say defaultRoom hello from the cli", "detailsView"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 3u) << run.out;
  EXPECT_EQ(lines[0]["context"], "user");
  EXPECT_EQ(lines[0]["message"], "hello from the cli");
  EXPECT_EQ(lines[1]["status"], "OK");
  EXPECT_EQ(lines[2]["data"]["rooms"], Json::array({"defaultRoom"}));
  EXPECT_EQ(bob.read_json()["message"], "hello from the cli");

  auto quiet = run_cli(at_port(server, {"--no-chat", "say defaultRoom again", "randomNumber"}));
  EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
  auto answers = json_lines(quiet.out);
  ASSERT_EQ(answers.size(), 2u) << quiet.out;
  EXPECT_EQ(answers[0]["status"], "OK");
  EXPECT_EQ(bob.read_json()["message"], "again");
}

TEST(ActionhostCli, TheWelcomeIsPrintedOnlyWhenAsked) {
  ServerProcess server;
  auto run = run_cli(at_port(server, {"--welcome", "randomNumber"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_EQ(lines[0], Json::parse(R"({"welcome":"Hello! Welcome to the actionhero api","room":"defaultRoom",)"
                                  R"("context":"api"})"));
  EXPECT_TRUE(lines[1].contains("randomNumber"));
}

TEST(ActionhostCli, QuitIsAnsweredWithTheGoodbyeAndEndsTheRun) {
  ServerProcess server;
  auto run = run_cli(at_port(server, {"paramAdd messageId=m1", "quit", "status"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_EQ(lines[0]["status"], "OK");
  EXPECT_EQ(lines[1], Json::parse(R"({"status":"Bye!","context":"api"})"));
}

TEST(ActionhostCli, AServerClosingTheConnectionIsReportedAndExitsOne) {
  ServerProcess server("[socket]\nidle_timeout_ms = 1000\n");
  // Standard input stays open: the CLI waits for more lines until the server says goodbye.
  auto run = run_cli(at_port(server, {}), {"randomNumber\n", /*keep_open=*/true});
  EXPECT_EQ(run.exit_code, 1);
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 1u) << run.out;
  EXPECT_TRUE(lines[0].contains("randomNumber"));
  EXPECT_NE(run.err.find(
                R"(connection closed by the server with the goodbye line {"status":"Bye!","context":"api"})"),
            std::string::npos)
      << run.err;
}

TEST(ActionhostCli, FileRequestsPrintTheFilesBytes) {
  TempDir public_dir;
  public_dir.write("hello.txt", "line one\nline two\n");
  public_dir.write("raw.txt", "no line end");
  ServerProcess server("[files]\npublic_dir = \"" + public_dir.path() + "\"\n");

  auto both = run_cli(at_port(server, {"file hello.txt", "randomNumber"}));
  EXPECT_EQ(both.exit_code, 0) << both.err;
  const std::string bytes = "line one\nline two\n";
  ASSERT_EQ(both.out.substr(0, bytes.size()), bytes) << both.out;
  auto after = json_lines(both.out.substr(bytes.size()));
  ASSERT_EQ(after.size(), 1u) << both.out;
  EXPECT_EQ(after[0]["messageCount"], 3);  // after `file` and the marker that ends its bytes

  auto raw = run_cli(at_port(server, {"file raw.txt"}));
  EXPECT_EQ(raw.exit_code, 0) << raw.err;
  EXPECT_EQ(raw.out, "no line end");

  auto missing = run_cli(at_port(server, {"file missing.txt"}));
  EXPECT_EQ(missing.exit_code, 1);
  auto lines = json_lines(missing.out);
  ASSERT_EQ(lines.size(), 1u) << missing.out;
  EXPECT_EQ(lines[0]["error"], "That file is not found (missing.txt)");
}

TEST(ActionhostCli, BadUsageExits64WithTheUsage) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{{"--port", "abc", "status"},
                                                                                    {"--bogus"},
                                                                                    {"--insecure", "status"},
                                                                                    {"--port"}}) {
    auto run = run_cli(args);
    EXPECT_EQ(run.exit_code, 64) << args[0];
    EXPECT_NE(run.err.find("Usage: actionhost-cli"), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "");
  }
  auto help = run_cli({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Usage: actionhost-cli"), std::string::npos);
  EXPECT_NE(help.out.find("Exit status"), std::string::npos);
}

// With socket.secure: --tls checks the certificate unless --insecure; --ca trusts a file.
class ActionhostCliTls : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = certs_.make();
    ASSERT_EQ(made.exit_code, 0) << made.output;
  }
  std::string config() const { return certs_.config(); }
  std::string cert() const { return certs_.cert(); }

  DevCertificate certs_;
};

TEST_F(ActionhostCliTls, InsecureTalksTlsToASelfSignedServer) {
  ServerProcess server(config());
  auto run = run_cli(at_port(server, {"--tls", "--insecure", "detailsView", "randomNumber"}));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  auto lines = json_lines(run.out);
  ASSERT_EQ(lines.size(), 2u) << run.out;
  EXPECT_EQ(lines[0]["data"]["rooms"], Json::array({"defaultRoom"}));
  EXPECT_TRUE(lines[1]["randomNumber"].is_number());
}

TEST_F(ActionhostCliTls, AnUntrustedCertificateCannotConnect) {
  ServerProcess server(config());
  auto run = run_cli(at_port(server, {"--tls", "randomNumber"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("the server's certificate is not trusted: self-signed certificate"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("--insecure"), std::string::npos) << run.err;
}

TEST_F(ActionhostCliTls, CaTrustsTheCertificateForItsAddressAndName) {
  ServerProcess server(config());
  for (const char* host : {"127.0.0.1", "localhost"}) {
    auto run = run_cli(at_port(server, {"--host", host, "--tls", "--ca", cert(), "randomNumber"}));
    EXPECT_EQ(run.exit_code, 0) << host << ": " << run.err;
    EXPECT_EQ(json_lines(run.out).size(), 1u) << run.out;
  }
}

TEST_F(ActionhostCliTls, TlsToAPlainServerCannotConnect) {
  ServerProcess server;
  auto run = run_cli(at_port(server, {"--tls", "--insecure", "randomNumber"}));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(
      run.err.find("cannot connect to 127.0.0.1:" + std::to_string(server.port()) + ": TLS handshake failed"),
      std::string::npos)
      << run.err;
}

}  // namespace
}  // namespace actionhost::test
