// The load generator of scripts/bench: drives actionhost, actionhero or Redis over
// loopback with the same client code, so their figures can be set side by side.
//
//   loadgen request --port P [--protocol actionhost|actionhero|redis] [--connections 50]
//                   [--pipeline 1] [--line randomNumber] [--tls] [--warmup 1] [--duration 3]
//                   [--server-pid PID]
//     N connections, each keeping P requests in flight; after the warm-up, a timed window.
//     Prints: answers_per_s p50_us p90_us p99_us max_us errors server_cpu_pct
//   loadgen idle --port P --connections 10000 --server-pid PID [--protocol …] [--tls]
//     Opens N connections, waits until each is served (its welcome line, or PONG), and
//     prints the server's RSS growth per connection: rss_before_kib rss_after_kib
//     kib_per_connection
//   loadgen fanout --port P --members 1000 [--protocol actionhost|actionhero|redis]
//                  [--room anotherRoom] [--window 16] [--warmup 1] [--duration 3]
//                  [--server-pid PID] [--member-port P2]
//     M members in one room (actionhost, actionhero: roomAdd; redis: SUBSCRIBE) and one
//     sender saying (PUBLISH-ing) messages, at most W not yet delivered to every member.
//     With --member-port, every other member connects to P2 (a second server of the same
//     cluster) and the sender to P.
//     Prints: deliveries_per_s messages_per_s p50_us p99_us max_us server_cpu_pct
//
// Output is one line of key=value pairs, for scripts/bench to read.
//
// One thread and level-triggered epoll: the generator must cost little per request,
// since it shares the machine with the server it measures.

#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/program_options.hpp>

#include "connection.hpp"

namespace po = boost::program_options;
using loadgen::Connection;

namespace {

enum class Protocol { actionhost, actionhero, redis };

struct Options {
  std::string mode;
  std::string host = "127.0.0.1";
  int port = 0;
  Protocol protocol = Protocol::actionhost;
  int connections = 50;
  int pipeline = 1;
  std::string line = "randomNumber";
  bool tls = false;
  double warmup_s = 1;
  double duration_s = 3;
  int server_pid = 0;
  int members = 1000;
  std::string room = "anotherRoom";
  int window = 16;
  int member_port = 0;  // fanout: a second server for every other member; 0 = none
};

[[noreturn]] void fail(const std::string& why) {
  std::fprintf(stderr, "loadgen: %s\n", why.c_str());
  std::exit(1);
}

std::int64_t now_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

// The server's CPU time (user + system) in seconds, from /proc/PID/stat; 0 without a pid.
double server_cpu_seconds(int pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto after_name = stat.rfind(')');
  if (after_name == std::string::npos) return 0;
  std::istringstream fields(stat.substr(after_name + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // fields 14 and 15 are utime, stime
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

long server_rss_kib(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string key;
  while (in >> key) {
    if (key == "VmRSS:") {
      long kib = 0;
      in >> kib;
      return kib;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

struct Latencies {
  std::vector<std::uint32_t> ns;  // capped at ~4.3 s, far beyond any answer here
  void add(std::int64_t value) {
    ns.push_back(static_cast<std::uint32_t>(std::min<std::int64_t>(value, UINT32_MAX)));
  }
  double percentile_us(double p) {
    if (ns.empty()) return 0;
    auto k = std::min(ns.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ns.size())));
    std::nth_element(ns.begin(), ns.begin() + static_cast<std::ptrdiff_t>(k), ns.end());
    return ns[k] / 1000.0;
  }
  double max_us() const { return ns.empty() ? 0 : *std::max_element(ns.begin(), ns.end()) / 1000.0; }
};

// The epoll loop shared by every mode: each connection has an index, and the mode's
// handlers see its lines and its failures.
class Loop {
 public:
  Loop() : epoll_(epoll_create1(EPOLL_CLOEXEC)) {}
  ~Loop() { close(epoll_); }

  void add(int fd, std::uint32_t index, bool want_write) {
    epoll_event ev{};
    ev.events = EPOLLIN | (want_write ? EPOLLOUT : 0u);
    ev.data.u32 = index;
    epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &ev);
  }
  void want_write(int fd, std::uint32_t index, bool on) {
    epoll_event ev{};
    ev.events = EPOLLIN | (on ? EPOLLOUT : 0u);
    ev.data.u32 = index;
    epoll_ctl(epoll_, EPOLL_CTL_MOD, fd, &ev);
  }
  void remove(int fd) { epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr); }

  // Runs until `until` (ns, monotonic) or until done() says so.
  template <class OnEvent, class Done>
  void run(std::int64_t until, OnEvent&& on_event, Done&& done) {
    epoll_event events[256];
    while (!done()) {
      auto left_ms = (until - now_ns()) / 1'000'000;
      if (left_ms < 0) return;
      int n = epoll_wait(epoll_, events, 256, static_cast<int>(std::min<std::int64_t>(left_ms + 1, 100)));
      for (int i = 0; i < n; ++i) on_event(events[i].data.u32, events[i].events);
    }
  }

 private:
  int epoll_;
};

// The warm-up, then the timed window (`measuring` set for its length): its length in
// seconds and the server's CPU use over it, in % of one core.
struct Window {
  double seconds;
  double server_cpu_pct;
};
template <class OnEvent>
Window warm_up_then_measure(const Options& o, Loop& loop, OnEvent&& on_event, const bool& broken,
                            bool& measuring) {
  auto never = [&] { return broken; };
  loop.run(now_ns() + static_cast<std::int64_t>(o.warmup_s * 1e9), on_event, never);
  if (broken) fail("a connection closed during the warm-up");
  measuring = true;
  const double cpu0 = server_cpu_seconds(o.server_pid);
  const auto t0 = now_ns();
  loop.run(t0 + static_cast<std::int64_t>(o.duration_s * 1e9), on_event, never);
  const double seconds = static_cast<double>(now_ns() - t0) / 1e9;
  const double cpu = server_cpu_seconds(o.server_pid) - cpu0;
  if (broken) fail("a connection closed during the measurement");
  return {seconds, 100.0 * cpu / seconds};
}

bool has_greeting(Protocol p) { return p != Protocol::redis; }

bool is_error(Protocol p, std::string_view line) {
  if (p == Protocol::redis) return !line.empty() && line.front() == '-';
  return line.find("\"error\"") != std::string_view::npos;
}

std::string request_bytes(const Options& o) {
  return o.protocol == Protocol::redis ? o.line + "\r\n" : o.line + "\n";
}

std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> client_tls(bool on) {
  if (!on) return {nullptr, SSL_CTX_free};
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);  // the dev certificate is self-signed
  return {ctx, SSL_CTX_free};
}

// ---- request: N connections × P in flight --------------------------------------------

int run_request(const Options& o) {
  auto tls = client_tls(o.tls);
  std::vector<Connection> conns;
  conns.reserve(static_cast<std::size_t>(o.connections));
  for (int i = 0; i < o.connections; ++i) conns.emplace_back(o.host, o.port, tls.get());

  const std::string one = request_bytes(o);
  std::string burst;
  for (int i = 0; i < o.pipeline; ++i) burst += one;

  struct State {
    bool greeted = false;
    std::deque<std::int64_t> sent;  // send times of the requests in flight
  };
  std::vector<State> states(conns.size());
  Loop loop;
  for (std::uint32_t i = 0; i < conns.size(); ++i) loop.add(conns[i].fd(), i, false);

  bool measuring = false;
  long answers = 0, errors = 0;
  Latencies latencies;
  latencies.ns.reserve(4'000'000);
  bool broken = false;
  std::string refill;

  auto send_requests = [&](std::uint32_t i, int count) {
    auto t = now_ns();
    for (int k = 0; k < count; ++k) states[i].sent.push_back(t);
    bool ok = count == o.pipeline ? conns[i].send(burst) : [&] {
      refill.clear();
      for (int k = 0; k < count; ++k) refill += one;
      return conns[i].send(refill);
    }();
    if (!ok) broken = true;
    if (conns[i].wants_write()) loop.want_write(conns[i].fd(), i, true);
  };
  for (std::uint32_t i = 0; i < conns.size(); ++i) {
    if (!has_greeting(o.protocol)) send_requests(i, o.pipeline);
  }

  auto on_event = [&](std::uint32_t i, std::uint32_t events) {
    Connection& c = conns[i];
    if (events & EPOLLOUT) {
      bool failed = false;
      if (!c.flush_pending(failed)) loop.want_write(c.fd(), i, false);
      if (failed) broken = true;
    }
    if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR))) return;
    int answered = 0;
    bool greeted_now = false;
    std::int64_t t = 0;
    bool ok = c.receive([&](std::string_view line) {
      State& s = states[i];
      if (!s.greeted && has_greeting(o.protocol)) {  // the welcome: start the pipeline
        s.greeted = greeted_now = true;
        return;
      }
      if (s.sent.empty()) return;  // not an answer (e.g. a chat message)
      if (t == 0) t = now_ns();
      if (measuring) {
        ++answers;
        if (is_error(o.protocol, line)) ++errors;
        latencies.add(t - s.sent.front());
      }
      s.sent.pop_front();
      ++answered;
    });
    if (!ok) {
      broken = true;
      return;
    }
    if (greeted_now) answered += o.pipeline;
    if (answered) send_requests(i, answered);
  };
  const Window window = warm_up_then_measure(o, loop, on_event, broken, measuring);
  std::printf("answers_per_s=%.0f p50_us=%.1f p90_us=%.1f p99_us=%.1f max_us=%.1f errors=%ld "
              "server_cpu_pct=%.0f\n",
              static_cast<double>(answers) / window.seconds, latencies.percentile_us(0.50),
              latencies.percentile_us(0.90), latencies.percentile_us(0.99), latencies.max_us(), errors,
              window.server_cpu_pct);
  return 0;
}

// ---- idle: RSS per held connection ----------------------------------------------------

// Asks Redis, on a connection of its own, until it reports `clients` connected clients.
void wait_for_redis_clients(const Options& o, int clients) {
  Connection control(o.host, o.port, nullptr);
  const std::string wanted = "connected_clients:" + std::to_string(clients);
  const std::int64_t deadline = now_ns() + 60'000'000'000LL;
  while (now_ns() < deadline) {
    bool seen = false, failed = false;
    control.send("INFO clients\r\n");
    Loop loop;
    loop.add(control.fd(), 0, false);
    loop.run(
        now_ns() + 1'000'000'000LL,
        [&](std::uint32_t, std::uint32_t) {
          failed = !control.receive([&](std::string_view line) { seen = seen || line == wanted; });
        },
        [&] { return seen || failed; });
    if (seen) return;
    if (failed) fail("the control connection to Redis closed");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  fail("Redis never reported " + wanted);
}

int run_idle(const Options& o) {
  if (o.server_pid <= 0) fail("idle needs --server-pid");
  auto tls = client_tls(o.tls);
  const long before = server_rss_kib(o.server_pid);
  std::vector<Connection> conns;
  conns.reserve(static_cast<std::size_t>(o.connections));
  std::vector<bool> served(static_cast<std::size_t>(o.connections), false);
  Loop loop;
  int ready = 0, opened = 0, in_progress = 0;
  bool broken = false;
  const int max_in_progress = 256;  // connects in flight at once, below the listen backlog

  auto open_more = [&] {
    while (opened < o.connections && in_progress < max_in_progress) {
      // With TLS, each connects and shakes hands before the next (blocking): what is
      // measured is the connections held afterwards, not the handshakes.
      conns.push_back(tls ? Connection(o.host, o.port, tls.get())
                          : Connection::start_nonblocking(o.host, o.port));
      loop.add(conns.back().fd(), static_cast<std::uint32_t>(opened), o.protocol == Protocol::redis);
      ++opened;
      ++in_progress;
    }
  };
  // A held connection counts as served once the server has shown it knows it: its welcome
  // line (actionhost, actionhero), or for Redis, which greets no one and would grow a
  // query buffer for a command, once it is connected (counted by Redis further below).
  auto on_event = [&](std::uint32_t i, std::uint32_t events) {
    Connection& c = conns[i];
    if (o.protocol == Protocol::redis) {
      if (events & (EPOLLERR | EPOLLHUP)) broken = true;
      if (!served[i] && (events & EPOLLOUT)) {
        loop.want_write(c.fd(), i, false);
        served[i] = true;
        ++ready;
        --in_progress;
      }
      return;
    }
    bool ok = c.receive([&](std::string_view) {
      if (served[i]) return;
      served[i] = true;
      ++ready;
      --in_progress;
    });
    if (!ok) broken = true;
  };
  const std::int64_t deadline = now_ns() + 120'000'000'000LL;
  while (ready < o.connections && !broken && now_ns() < deadline) {
    open_more();
    loop.run(std::min(deadline, now_ns() + 50'000'000), on_event,
             [&] { return broken || (opened < o.connections && in_progress < max_in_progress / 2); });
  }
  if (broken) fail("a connection failed or was closed while opening " + std::to_string(o.connections));
  if (ready < o.connections) fail("only " + std::to_string(ready) + " connections were served in 120 s");
  if (o.protocol == Protocol::redis) wait_for_redis_clients(o, o.connections + 1);
  // Let the server finish what accepting left behind (logging, freeing) before reading.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const long after = server_rss_kib(o.server_pid);
  std::printf("rss_before_kib=%ld rss_after_kib=%ld kib_per_connection=%.2f\n", before, after,
              static_cast<double>(after - before) / o.connections);
  return 0;
}

// ---- fanout: one sender, M members --------------------------------------------------

// A delivered message's payload is "m:SEQ:SENT_NS"; returns false when `line` holds none.
bool parse_payload(std::string_view line, std::uint64_t& seq, std::int64_t& sent) {
  auto at = line.find("m:");
  if (at == std::string_view::npos) return false;
  const char* p = line.data() + at + 2;
  const char* end = line.data() + line.size();
  seq = 0;
  while (p < end && *p >= '0' && *p <= '9') seq = seq * 10 + static_cast<std::uint64_t>(*p++ - '0');
  if (p >= end || *p != ':') return false;
  ++p;
  sent = 0;
  while (p < end && *p >= '0' && *p <= '9') sent = sent * 10 + (*p++ - '0');
  return true;
}

int run_fanout(const Options& o) {
  const bool redis = o.protocol == Protocol::redis;
  const int members = o.members;
  // Connections 0..M-1 are members; M is the sender (a member too in actionhost, where
  // only members may say; a plain connection in Redis, where subscribers cannot publish).
  std::vector<Connection> conns;
  conns.reserve(static_cast<std::size_t>(members + 1));
  for (int i = 0; i <= members; ++i) {
    const bool second = o.member_port != 0 && i < members && i % 2 == 1;
    conns.emplace_back(o.host, second ? o.member_port : o.port, nullptr);
  }
  const std::uint32_t sender = static_cast<std::uint32_t>(members);
  std::vector<bool> joined(conns.size(), false);
  int joined_count = 0;
  Loop loop;
  for (std::uint32_t i = 0; i < conns.size(); ++i) loop.add(conns[i].fd(), i, false);
  bool broken = false;

  const std::string join = redis ? "SUBSCRIBE " + o.room + "\r\n" : "roomAdd " + o.room + "\n";
  if (redis) {
    for (int i = 0; i < members; ++i) broken |= !conns[static_cast<std::size_t>(i)].send(join);
    joined[sender] = true;
    ++joined_count;
  }
  const std::size_t ring = 1 << 16;
  std::vector<int> delivered(ring, 0);
  std::uint64_t next_seq = 0, completed = 0;
  bool measuring = false;
  long deliveries = 0, messages_done = 0;
  Latencies latencies;
  latencies.ns.reserve(8'000'000);

  auto send_messages = [&] {
    std::string batch;
    auto t = now_ns();
    while (next_seq - completed < static_cast<std::uint64_t>(o.window)) {
      delivered[next_seq % ring] = 0;
      std::string payload = "m:" + std::to_string(next_seq) + ":" + std::to_string(t);
      batch += redis ? "PUBLISH " + o.room + " " + payload + "\r\n" : "say " + o.room + " " + payload + "\n";
      ++next_seq;
    }
    if (!batch.empty() && !conns[sender].send(batch)) broken = true;
    if (conns[sender].wants_write()) loop.want_write(conns[sender].fd(), sender, true);
  };

  auto on_event = [&](std::uint32_t i, std::uint32_t events) {
    Connection& c = conns[i];
    if (events & EPOLLOUT) {
      bool failed = false;
      if (!c.flush_pending(failed)) loop.want_write(c.fd(), i, false);
      broken |= failed;
    }
    std::int64_t t = 0;
    bool ok = c.receive([&](std::string_view line) {
      if (!joined[i]) {
        if (redis ? line == "subscribe" : line.find("\"status\":\"OK\"") != std::string_view::npos) {
          joined[i] = true;
          ++joined_count;
        } else if (!redis && line.find("\"welcome\"") != std::string_view::npos) {
          broken |= !c.send(join);
        }
        return;
      }
      if (i == sender) {
        if (is_error(o.protocol, line)) fail("the sender was refused: " + std::string(line));
        return;
      }
      std::uint64_t seq;
      std::int64_t sent;
      if (!parse_payload(line, seq, sent)) return;
      if (t == 0) t = now_ns();
      if (measuring) {
        ++deliveries;
        latencies.add(t - sent);
      }
      if (++delivered[seq % ring] == members) {
        ++completed;
        if (measuring) ++messages_done;
      }
    });
    if (!ok) broken = true;
  };

  loop.run(now_ns() + 60'000'000'000LL, on_event,
           [&] { return broken || joined_count == static_cast<int>(conns.size()); });
  if (broken || joined_count != static_cast<int>(conns.size())) fail("members could not join " + o.room);

  auto on_event_and_send = [&](std::uint32_t i, std::uint32_t events) {
    on_event(i, events);
    send_messages();
  };
  send_messages();
  const Window window = warm_up_then_measure(o, loop, on_event_and_send, broken, measuring);
  std::printf("deliveries_per_s=%.0f messages_per_s=%.0f p50_us=%.1f p99_us=%.1f max_us=%.1f "
              "server_cpu_pct=%.0f\n",
              static_cast<double>(deliveries) / window.seconds,
              static_cast<double>(messages_done) / window.seconds, latencies.percentile_us(0.50),
              latencies.percentile_us(0.99), latencies.max_us(), window.server_cpu_pct);
  return 0;
}

void raise_open_file_limit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  std::string protocol = "actionhost";
  po::options_description flags("loadgen MODE [options], MODE = request | idle | fanout");
  flags.add_options()("help", "this text")("mode", po::value(&o.mode)->required(), "request, idle or fanout")(
      "host", po::value(&o.host), "server address (IPv4)")("port", po::value(&o.port)->required(),
                                                           "server port")("protocol", po::value(&protocol),
                                                                          "actionhost, actionhero or redis")(
      "connections", po::value(&o.connections),
      "connections (request, idle)")("pipeline", po::value(&o.pipeline), "requests in flight per connection")(
      "line", po::value(&o.line), "the request line, without its end")(
      "tls", po::bool_switch(&o.tls), "connect with TLS")("warmup", po::value(&o.warmup_s),
                                                          "seconds before measuring")(
      "duration", po::value(&o.duration_s), "seconds measured")("server-pid", po::value(&o.server_pid),
                                                                "the server's pid, for its CPU time and RSS")(
      "members", po::value(&o.members), "fanout: members of the room")(
      "room", po::value(&o.room), "fanout: the room (actionhost: one of chat.starting_rooms)")(
      "window", po::value(&o.window), "fanout: messages not yet delivered to all, at most")(
      "member-port", po::value(&o.member_port), "fanout: every other member connects to this port");
  po::positional_options_description positional;
  positional.add("mode", 1);
  try {
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(flags).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << flags;
      return 0;
    }
    po::notify(vm);
    if (protocol == "actionhost") o.protocol = Protocol::actionhost;
    else if (protocol == "actionhero") o.protocol = Protocol::actionhero;
    else if (protocol == "redis") o.protocol = Protocol::redis;
    else fail("--protocol must be actionhost, actionhero or redis, got " + protocol);
    if (o.connections < 1 || o.pipeline < 1 || o.members < 1 || o.window < 1) {
      fail("--connections, --pipeline, --members and --window must be at least 1");
    }
    raise_open_file_limit();
    if (o.mode == "request") return run_request(o);
    if (o.mode == "idle") return run_idle(o);
    if (o.mode == "fanout") return run_fanout(o);
    fail("MODE must be request, idle or fanout, got " + o.mode);
  } catch (const std::exception& e) {
    fail(e.what());
  }
}
