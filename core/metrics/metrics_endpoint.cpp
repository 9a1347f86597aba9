#include "metrics/metrics_endpoint.hpp"

#include <chrono>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

namespace actionhost {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto kReadTimeout = std::chrono::seconds(5);    // a whole request, or the wait for the next
constexpr auto kWriteTimeout = std::chrono::seconds(10);  // an answer
constexpr std::size_t kMaxOpen = 64;                      // scrapers and probes at once
constexpr std::uint32_t kMaxHeaderBytes = 8192;

}  // namespace

// One HTTP connection: requests answered in turn until the client closes, a request asks
// to close, or a timeout passes. Lives on the endpoint's thread alone.
class MetricsEndpoint::Exchange : public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(MetricsEndpoint& endpoint, tcp::socket socket) : endpoint_(endpoint), stream_(std::move(socket)) {}
  ~Exchange() {
    if (placed_) endpoint_.open_.erase(place_);
  }

  void begin(std::list<std::weak_ptr<Exchange>>::iterator place) {
    place_ = place;
    placed_ = true;
    read();
  }
  // Waiting for a request (not answering one): the kind a new connection may push out.
  bool waiting() const { return waiting_; }
  void evict() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(kMaxHeaderBytes);
    parser_->body_limit(0);
    waiting_ = true;
    stream_.expires_after(kReadTimeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->waiting_ = false;
                       self->on_read(ec);
                     });
  }

  void on_read(beast::error_code ec) {
    if (ec) {
      if (ec != http::error::end_of_stream && ec != asio::error::operation_aborted &&
          ec != beast::error::timeout && ec != asio::error::connection_reset &&
          ec != asio::error::bad_descriptor) {
        // A bad request still gets an answer, then the connection closes.
        respond(http::status::bad_request, "bad request: " + ec.message() + "\n", false);
      }
      return;
    }
    const auto& request = parser_->get();
    const bool keep_alive = request.keep_alive();
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      respond(http::status::method_not_allowed, "only GET and HEAD are served here\n", keep_alive);
      return;
    }
    const std::string_view target(request.target().data(), request.target().size());
    const std::string_view path = target.substr(0, target.find('?'));
    if (path == "/metrics") {
      std::string text;
      try {
        text = endpoint_.handlers_.metrics();
      } catch (const std::exception& error) {  // e.g. out of memory: this scrape fails, not the server
        spdlog::error("metrics: a scrape failed: {}", error.what());
        respond(http::status::internal_server_error, "the metrics could not be gathered\n", false);
        return;
      }
      respond(http::status::ok, std::move(text), keep_alive, "text/plain; version=0.0.4; charset=utf-8");
    } else if (path == "/healthz") {
      const bool stopping = endpoint_.handlers_.shutting_down && endpoint_.handlers_.shutting_down->load();
      respond(stopping ? http::status::service_unavailable : http::status::ok,
              stopping ? "shutting down\n" : "serving\n", keep_alive);
    } else {
      respond(http::status::not_found, "not found: GET /metrics or GET /healthz\n", keep_alive);
    }
  }

  void respond(http::status status, std::string body, bool keep_alive,
               const char* type = "text/plain; charset=utf-8") {
    const bool head = parser_ && parser_->is_header_done() && parser_->get().method() == http::verb::head;
    response_ = {};
    response_.result(status);
    response_.version(11);
    response_.set(http::field::server, "actionhost");
    response_.set(http::field::content_type, type);
    if (status == http::status::method_not_allowed) response_.set(http::field::allow, "GET, HEAD");
    response_.keep_alive(keep_alive);
    response_.body() = std::move(body);
    response_.prepare_payload();
    if (head) response_.body().clear();  // Content-Length stays that of the GET
    stream_.expires_after(kWriteTimeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        if (keep_alive) {
                          self->read();
                        } else {
                          beast::error_code ignored;
                          self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        }
                      });
  }

  MetricsEndpoint& endpoint_;
  std::list<std::weak_ptr<Exchange>>::iterator place_;  // in endpoint_.open_, once placed_
  bool placed_ = false;
  bool waiting_ = false;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  http::response<http::string_body> response_;
};

MetricsEndpoint::MetricsEndpoint(Handlers handlers)
    : handlers_(std::move(handlers)), acceptor_(io_), retry_(io_) {}

MetricsEndpoint::~MetricsEndpoint() { stop(); }

Result<tcp::endpoint> MetricsEndpoint::start(const std::string& host, int port) {
  boost::system::error_code ec;
  // An address, or a name such as localhost (its first address).
  tcp::resolver resolver(io_);
  const auto found = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || found.empty()) {
    return Problem::invalid("metrics.listen: cannot resolve " + host + ": " +
                            (ec ? ec.message() : std::string("no address")) +
                            " (use an address such as 127.0.0.1 or 0.0.0.0)");
  }
  const auto address = found.begin()->endpoint().address();
  const tcp::endpoint wanted(address, static_cast<unsigned short>(port));
  auto fail = [&](const char* step) {
    return Problem::conflict("metrics.listen: cannot " + std::string(step) + " " + host + ":" +
                             std::to_string(port) + ": " + ec.message() +
                             " (is another process on that port? choose another in metrics.listen)");
  };
  if (acceptor_.open(wanted.protocol(), ec); ec) return fail("open");
  if (acceptor_.set_option(tcp::acceptor::reuse_address(true), ec); ec) return fail("configure");
  if (acceptor_.bind(wanted, ec); ec) return fail("bind");
  if (acceptor_.listen(asio::socket_base::max_listen_connections, ec); ec) return fail("listen on");
  const tcp::endpoint bound = acceptor_.local_endpoint();
  accept();
  thread_ = std::thread([this] { io_.run(); });
  return bound;
}

void MetricsEndpoint::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {  // e.g. out of descriptors: try again shortly rather than spin
      spdlog::debug("metrics: accept failed: {}", ec.message());
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([this](const boost::system::error_code& waited) {
        if (!waited) accept();
      });
      return;
    }
    if (open_.size() >= kMaxOpen && !evict_one()) {
      const auto now = std::chrono::steady_clock::now();
      if (now - last_refusal_log_ >= std::chrono::seconds(10)) {
        last_refusal_log_ = now;
        spdlog::warn("metrics: {} connections are being answered at once; closing new ones until one is done",
                     kMaxOpen);
      }
    } else {
      auto exchange = std::make_shared<Exchange>(*this, std::move(socket));
      exchange->begin(open_.insert(open_.end(), exchange));
    }
    accept();
  });
}

// Full: the connection that has waited longest for a request makes room for the new one, so
// that idle connections cannot keep a probe out.
bool MetricsEndpoint::evict_one() {
  for (const auto& held : open_) {
    auto exchange = held.lock();
    if (exchange && exchange->waiting()) {
      exchange->evict();
      return true;
    }
  }
  return false;
}

void MetricsEndpoint::stop() {
  if (!thread_.joinable()) return;
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_.cancel();
    io_.stop();  // connections still open are dropped with the context
  });
  thread_.join();
}

}  // namespace actionhost
