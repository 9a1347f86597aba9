#include "connection.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

namespace actionhost::cli {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

namespace {

bool is_ip_address(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

// Errors that only mean "the other side closed the connection".
bool is_clean_end(const boost::system::error_code& error) {
  return error == asio::error::eof || error == ssl::error::stream_truncated;
}

}  // namespace

std::string Target::address() const {
  boost::system::error_code ec;
  auto ip = asio::ip::make_address(host, ec);
  if (!ec && ip.is_v6()) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Connection::Connection(asio::io_context& io, Target target)
    : io_(io), target_(std::move(target)), stream_(io, tls_context_), resolver_(io), deadline_(io) {}

std::string Connection::setup_tls() {
  // The stream's SSL object exists already: what is set on the context from here on is only
  // what SSL objects look up in it when they need it (the certificate store).
  boost::system::error_code ec;
  SSL* handle = stream_.native_handle();
  SSL_set_min_proto_version(handle, TLS1_2_VERSION);
  if (target_.insecure) {
    stream_.set_verify_mode(ssl::verify_none);
    return "";
  }
  if (target_.ca_file.empty()) {
    tls_context_.set_default_verify_paths(ec);
    if (ec) return "cannot load the system's certificate authorities: " + ec.message();
  } else {
    tls_context_.load_verify_file(target_.ca_file, ec);
    if (ec) return "cannot load certificates from " + target_.ca_file + ": " + ec.message();
  }
  stream_.set_verify_mode(ssl::verify_peer);
  // OpenSSL checks the name (or address) the certificate is for; for a name, it is also
  // sent as SNI.
  X509_VERIFY_PARAM* param = SSL_get0_param(handle);
  if (is_ip_address(target_.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(param, target_.host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_host(param, target_.host.c_str(), 0);
    SSL_set_tlsext_host_name(handle, target_.host.c_str());
  }
  return "";
}

void Connection::connect(std::chrono::seconds timeout, std::function<void(std::string)> done) {
  connect_done_ = std::move(done);
  connect_timeout_ = timeout;
  if (target_.tls) {
    if (auto problem = setup_tls(); !problem.empty()) {
      asio::post(io_, [this, problem] { connect_ended(problem); });
      return;
    }
  }
  deadline_.expires_after(timeout);
  deadline_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: connected or failed in time
    timed_out_ = true;
    resolver_.cancel();
    boost::system::error_code ignored;
    stream_.next_layer().close(ignored);
  });
  resolver_.async_resolve(target_.host, std::to_string(target_.port),
                          [this](const boost::system::error_code& ec, tcp::resolver::results_type endpoints) {
                            if (ec) return connect_failed("resolving the name", ec);
                            resolved(endpoints);
                          });
}

void Connection::resolved(const tcp::resolver::results_type& endpoints) {
  // After the deadline, no further address is tried.
  auto still_trying = [this](const boost::system::error_code&, const tcp::endpoint&) { return !timed_out_; };
  asio::async_connect(stream_.next_layer(), endpoints, still_trying,
                      [this](const boost::system::error_code& ec, const tcp::endpoint&) {
                        if (ec) return connect_failed("connecting", ec);
                        if (!target_.tls) return connect_ended("");
                        stream_.async_handshake(ssl::stream_base::client,
                                                [this](const boost::system::error_code& failed) {
                                                  if (!failed) return connect_ended("");
                                                  if (timed_out_)
                                                    return connect_failed("TLS handshake", failed);
                                                  connect_ended(handshake_failure(failed));
                                                });
                      });
}

void Connection::connect_failed(const std::string& step, const boost::system::error_code& ec) {
  if (timed_out_) {
    connect_ended("no answer within " + std::to_string(connect_timeout_.count()) + " s (" + step + ")");
  } else if (ec == asio::error::connection_refused) {
    connect_ended(ec.message() + "; is the server running? (scripts/run starts it)");
  } else {
    connect_ended(ec.message());
  }
}

void Connection::connect_ended(const std::string& failure) {
  deadline_.cancel();
  auto done = std::move(connect_done_);
  connect_done_ = nullptr;
  if (done) done(failure);
}

std::string Connection::handshake_failure(const boost::system::error_code& error) {
  long verify = SSL_get_verify_result(stream_.native_handle());
  if (!target_.insecure && verify != X509_V_OK) {
    return std::string("TLS: the server's certificate is not trusted: ") +
           X509_verify_cert_error_string(verify) +
           " (--ca FILE trusts the certificates in FILE; --insecure skips the check)";
  }
  if (is_clean_end(error))
    return "TLS handshake failed: the server closed the connection (is it a TLS server?)";
  return "TLS handshake failed: " + error.message() + " (is it a TLS server?)";
}

void Connection::start_reading(std::function<void(std::string_view)> on_bytes,
                               std::function<void(std::string)> on_end) {
  on_bytes_ = std::move(on_bytes);
  on_end_ = std::move(on_end);
  read_more();
}

void Connection::read_more() {
  auto handler = [this](const boost::system::error_code& ec, std::size_t n) {
    if (n > 0) on_bytes_(std::string_view(read_buffer_, n));
    if (closed_ || ec == asio::error::operation_aborted) return;
    if (ec) return on_end_(is_clean_end(ec) ? "" : ec.message());
    read_more();
  };
  if (target_.tls) {
    stream_.async_read_some(asio::buffer(read_buffer_), handler);
  } else {
    stream_.next_layer().async_read_some(asio::buffer(read_buffer_), handler);
  }
}

void Connection::write(std::string bytes) {
  if (closed_) return;
  writes_.push_back(std::move(bytes));
  if (writes_.size() == 1) write_next();
}

void Connection::write_next() {
  auto handler = [this](const boost::system::error_code& ec, std::size_t) {
    if (closed_ || ec) return;  // a broken connection shows on the read side
    writes_.pop_front();
    if (!writes_.empty()) write_next();
  };
  if (target_.tls) {
    asio::async_write(stream_, asio::buffer(writes_.front()), handler);
  } else {
    asio::async_write(stream_.next_layer(), asio::buffer(writes_.front()), handler);
  }
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  deadline_.cancel();
  resolver_.cancel();
  boost::system::error_code ignored;
  stream_.next_layer().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.next_layer().close(ignored);
}

}  // namespace actionhost::cli
