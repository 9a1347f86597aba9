#pragma once

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "util/result.hpp"

namespace actionhost {

// A server TLS context from PEM files (socket.cert, socket.key); a Problem naming the file
// when one is missing, unreadable, not PEM, or the two do not match.
Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const std::string& cert_file,
                                                                    const std::string& key_file);

}  // namespace actionhost
