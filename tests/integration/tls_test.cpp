// TLS on the socket port (socket.secure): same protocol, same code path as TCP.

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/streambuf.hpp>
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

// A TLS client on Asio's own ssl::stream, for what Client does not show: records, the end of
// the TLS stream, bytes under TLS. Connected and past the handshake once made.
struct RawTlsClient {
  explicit RawTlsClient(std::uint16_t port) {
    context.set_verify_mode(boost::asio::ssl::verify_none);
    stream.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
    stream.handshake(boost::asio::ssl::stream_base::client);
  }
  void write(const std::string& text) { boost::asio::write(stream, boost::asio::buffer(text)); }
  std::string read_line() {
    boost::asio::read_until(stream, received, "\r\n");
    std::string line;
    std::getline(std::istream(&received) >> std::ws, line);
    return line;
  }

  boost::asio::io_context io;
  boost::asio::ssl::context context{boost::asio::ssl::context::tls_client};
  boost::asio::ssl::stream<boost::asio::ip::tcp::socket> stream{io, context};
  boost::asio::streambuf received;
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

// Records are decrypted as they come, whole or in pieces: requests sent before the welcome
// is read (they may arrive with the handshake's last message), a line longer than a TLS
// record and than a read, and a client's close_notify.
TEST_F(Tls, DecryptsRequestsThatComeWithTheHandshakeOrSpanRecordsAndReads) {
  ServerProcess server(config() + "max_line_bytes = 200000\n");  // in config()'s [socket]
  {
    // Written as soon as the client's side of the handshake is done, before anything is read.
    RawTlsClient early(server.port());
    early.write("paramAdd messageId=early\nroomView defaultRoom\n");
    std::vector<Json> lines;
    while (lines.size() < 3) lines.push_back(Json::parse(early.read_line()));
    EXPECT_EQ(lines[0]["welcome"], "Hello! Welcome to the actionhero api");
    EXPECT_EQ(lines[1]["messageCount"], 1);
    EXPECT_EQ(lines[2]["data"]["room"], "defaultRoom");
    EXPECT_EQ(lines[2]["messageId"], "early");
  }
  Client client(server.port(), tls());
  const std::string long_value(100000, 'x');  // about six records, many reads
  const Json answer = client.request(R"({"action":"randomNumber","params":{"v":")" + long_value + R"("}})");
  EXPECT_TRUE(answer["randomNumber"].is_number()) << answer.dump().substr(0, 200);
  EXPECT_EQ(client.request("paramsView")["messageCount"], 2);
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

// `quit` ends the TLS stream with close_notify before the TCP one: the client can tell the
// end of the answers from a connection cut short (OpenSSL reports "unexpected eof" then).
TEST_F(Tls, QuitEndsTheTlsStreamCleanly) {
  ServerProcess server(config());
  RawTlsClient client(server.port());
  client.write("quit\n");
  std::string received;
  boost::system::error_code ec;
  char buffer[512];
  while (!ec) received.append(buffer, client.stream.read_some(boost::asio::buffer(buffer), ec));
  EXPECT_NE(received.find(R"({"status":"Bye!","context":"api"})"), std::string::npos) << received;
  EXPECT_EQ(ec, boost::asio::error::eof) << ec.message();  // not ssl::error::stream_truncated
}

// After `quit` the server has shut its sending side and lingers; a broken record then makes
// OpenSSL write an alert to that socket. The write fails (EPIPE) and must cost that
// connection only, never the process (SIGPIPE would end it and every client with it).
TEST_F(Tls, ABrokenRecordAfterQuitClosesOnlyThatConnection) {
  ServerProcess server(config());
  Client good(server.port(), tls());
  EXPECT_EQ(good.first_line()["welcome"], "Hello! Welcome to the actionhero api");
  RawTlsClient leaving(server.port());
  leaving.write("quit\n");
  while (leaving.read_line().find("Bye!") == std::string::npos) {
  }
  // An application-data record whose contents fail decryption.
  std::string broken = "\x17\x03\x03";
  broken += std::string("\x00\x20", 2) + std::string(32, '\x5a');
  boost::asio::write(leaving.stream.next_layer(), boost::asio::buffer(broken));
  char byte;
  boost::system::error_code ec;
  while (!ec)
    boost::asio::read(leaving.stream.next_layer(), boost::asio::buffer(&byte, 1), ec);  // until closed
  EXPECT_EQ(good.request("paramsView")["status"], "OK") << server.log();
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
