// TLS on the socket port (socket.secure): same protocol, same code path as TCP.

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "support/client.hpp"
#include "support/dev_certificate.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

// Makes a development certificate with the project's own script, once per test.
class Tls : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = certs_.make();
    ASSERT_EQ(made.exit_code, 0) << made.output;
  }

  std::string config() const { return certs_.config(); }

  static Client::Options tls() {
    Client::Options options;
    options.tls = true;
    return options;
  }

  DevCertificate certs_;
};

TEST_F(Tls, ServesTheProtocolOverTls) {
  ServerProcess server(config());
  EXPECT_TRUE(server.wait_for_log("with TLS"));
  Client alice(server.port(), tls());
  Client bob(server.port(), tls());
  EXPECT_EQ(alice.first_line()["welcome"], "Hello! Welcome to the actionhero api");
  EXPECT_EQ(alice.request("paramAdd messageId=t1")["status"], "OK");
  EXPECT_TRUE(alice.request("randomNumber")["randomNumber"].is_number());
  alice.send_line("say defaultRoom over tls");
  EXPECT_EQ(alice.read_json()["message"], "over tls");
  EXPECT_EQ(alice.read_json()["messageId"], "t1");
  EXPECT_EQ(bob.read_json()["message"], "over tls");
  alice.send_line("quit");
  EXPECT_EQ(alice.read_line(), R"({"status":"Bye!","context":"api"})");
  EXPECT_TRUE(alice.closed_by_server());
}

TEST_F(Tls, AFailedHandshakeClosesOnlyThatConnection) {
  ServerProcess server(config());
  Client good(server.port(), tls());
  {
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket plain(io);
    plain.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
    boost::asio::write(plain, boost::asio::buffer(std::string("detailsView\n")));
    char byte;
    boost::system::error_code ec;
    // The server answers a plain-text client with a TLS alert at most, then closes.
    while (!ec) boost::asio::read(plain, boost::asio::buffer(&byte, 1), ec);
  }
  EXPECT_TRUE(server.wait_for_log("TLS handshake failed"));
  EXPECT_EQ(good.request("paramsView")["status"], "OK");
}

TEST_F(Tls, AHandshakeThatNeverStartsIsClosedAfterTenSeconds) {
  ServerProcess server(config());
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket silent(io);
  silent.connect({boost::asio::ip::make_address("127.0.0.1"), server.port()});
  auto started = std::chrono::steady_clock::now();
  Client good(server.port(), tls());  // served meanwhile
  EXPECT_EQ(good.request("paramsView")["status"], "OK");
  char byte;
  boost::system::error_code ec;
  boost::asio::read(silent, boost::asio::buffer(&byte, 1), ec);  // blocks until the server closes
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
  EXPECT_GE(waited, 9s);
  EXPECT_LE(waited, 20s);
  EXPECT_TRUE(server.wait_for_log("did not finish within 10 s"));
}

TEST_F(Tls, AMissingCertificateStopsTheServerNamingTheFile) {
  TempDir dir;
  std::string config_file = dir.write("c.toml",
                                      "[socket]\nport = 0\nsecure = true\ncert = \"/nonexistent/cert.pem\"\n");
  auto result = run_process({ACTIONHOST_BINARY, "--config", config_file});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("socket.cert: cannot read /nonexistent/cert.pem"), std::string::npos)
      << result.output;
}

TEST_F(Tls, AKeyThatIsNotPemStopsTheServerNamingTheFile) {
  std::string bad_key = certs_.dir().write("bad-key.pem", "not a key\n");
  auto result = run_process({ACTIONHOST_BINARY, "--config", certs_.dir().write("c.toml", config()), "--set",
                             "socket.port=0", "--set", "socket.key=" + bad_key});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.output.find("socket.key: " + bad_key), std::string::npos) << result.output;
}

}  // namespace
}  // namespace actionhost::test
