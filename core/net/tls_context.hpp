#pragma once

#include <memory>
#include <stdexcept>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace actionhost {

// Thrown when the server cannot start; the message says what was wrong and what to do.
struct StartupError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A server TLS context from PEM files (socket.cert, socket.key). Throws StartupError,
// naming the file, when one is missing, unreadable, not PEM, or the two do not match.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const std::string& cert_file,
                                                            const std::string& key_file);

}  // namespace actionhost
