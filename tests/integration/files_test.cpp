// The file verb (SPEC §4.5): raw bytes, its errors, no escape from files.public_dir.

#include <gtest/gtest.h>

#include <filesystem>

#include "support/client.hpp"
#include "support/server_process.hpp"

namespace actionhost::test {
namespace {

TEST(Files, SendsTheRawBytesThenKeepsServing) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() + "/public");
  dir.write("public/page.html", "<h1>hi</h1>\r\n");
  dir.write("secret.txt", "do not serve");
  ServerProcess server("[files]\npublic_dir = \"" + dir.path() + "/public\"\n");
  Client client(server.port());
  client.send_line("file page.html");
  EXPECT_EQ(client.read_line(), "<h1>hi</h1>");
  EXPECT_EQ(client.request("file missing.txt").dump(),
            R"x({"error":"That file is not found (missing.txt)","context":"response","messageCount":2})x");
  EXPECT_EQ(client.request("file ../secret.txt")["error"], "That file is not found (../secret.txt)");
  EXPECT_EQ(client.request("file /etc/passwd")["error"], "That file is not found (/etc/passwd)");
  EXPECT_EQ(client.request("file").dump(),
            R"({"error":"file is a required param to send a file","context":"response","messageCount":5})");
}

}  // namespace
}  // namespace actionhost::test
