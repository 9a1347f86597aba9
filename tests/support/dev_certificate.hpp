#pragma once
// A development certificate and its key, made by the project's own certs/make-dev-cert.sh
// into a temporary folder, for tests of servers with socket.secure = true.

#include <string>

#include "support/server_process.hpp"

namespace actionhost::test {

class DevCertificate {
 public:
  // Runs the script; its exit code and output say whether the files are there.
  ProcessResult make() const;

  std::string cert() const { return dir_.path() + "/server-cert.pem"; }
  std::string key() const { return dir_.path() + "/server-key.pem"; }
  // A [socket] section serving TLS with them.
  std::string config() const {
    return "[socket]\nsecure = true\ncert = \"" + cert() + "\"\nkey = \"" + key() + "\"\n";
  }
  const TempDir& dir() const { return dir_; }

 private:
  TempDir dir_;
};

}  // namespace actionhost::test
