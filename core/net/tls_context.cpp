#include "net/tls_context.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace actionhost {
namespace {

Result<> require_readable(const std::string& key, const std::string& file) {
  std::ifstream in(file);
  if (!in) {
    return Problem::not_found(key + ": cannot read " + file + " (" + std::strerror(errno) +
                              "); run certs/make-dev-cert.sh for a development certificate, or set " + key +
                              " to your PEM file");
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<boost::asio::ssl::context>> make_tls_context(const std::string& cert_file,
                                                                    const std::string& key_file) {
  namespace ssl = boost::asio::ssl;
  if (auto readable = require_readable("socket.cert", cert_file); !readable)
    return std::move(readable).problem();
  if (auto readable = require_readable("socket.key", key_file); !readable) return std::move(readable).problem();

  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  // TLS 1.2 renegotiation asked by a client: refused (a session's writes never wait to read).
  SSL_CTX_set_options(context->native_handle(), SSL_OP_NO_RENEGOTIATION);
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return Problem::invalid("socket.cert: " + cert_file + " is not a usable PEM certificate (" + ec.message() +
                            ")");
  }
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return Problem::invalid("socket.key: " + key_file + " is not a usable PEM private key (" + ec.message() +
                            ")");
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return Problem::invalid("socket.key: " + key_file + " does not match the certificate in " + cert_file);
  }
  return context;
}

}  // namespace actionhost
