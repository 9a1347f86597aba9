// What the plugin boundary costs per action call: randomNumber called through the C ABI as
// the server calls it, three ways, against the same action called directly as a C++ function
// with its answer line built from the JSON value:
//   - FastPath: the shipped plugin (sdk `run_fast`): no params read, the number written into
//     the answer's buffer through the host's writer;
//   - JsonPath: the same action on the plain-JSON path (`run`, tests/plugins/
//     random_number_json.cpp): the params serialized (as when a messageId changes each
//     request), parsed by the SDK, the response built as a JSON tree, serialized, checked by
//     the host and copied into the answer line;
//   - AbiV1: that JSON-path source built against ABI version 1's headers.
//
//   build/tests/bench/abi_overhead_bench [--benchmark_repetitions=5]

#include <benchmark/benchmark.h>

#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include <actionhost/abi.h>

#include "actions/action_call.hpp"
#include "plugins/host_api.hpp"
#include "plugins/plugin_loader.hpp"
#include "protocol/answers.hpp"
#include "protocol/json_check.hpp"

namespace {

using actionhost::Json;

// One request as the plugin sees it: the params as the server hands them over, and the
// response it gets back.
class BenchCall final : public actionhost::ActionCall {
 public:
  actionhost::Result<> respond(std::string_view response) override {
    response_.assign(response);
    return {};
  }
  actionhost::Result<> fail(std::string_view message) override {
    throw std::runtime_error("randomNumber failed: " + std::string(message));
  }
  actionhost::ResponseWriter* begin_response() override { return &writer_.emplace(); }
  actionhost::ResponseWriter* writer() override { return writer_ ? &*writer_ : nullptr; }
  actionhost::Result<> end_response() override {
    response_ = std::move(*writer_).finish();
    writer_.reset();
    return {};
  }
  actionhost::Peer& connection() const override { throw std::logic_error("no connection in this bench"); }
  std::string_view params_text() const override { return params_; }
  const Json& params() override { throw std::logic_error("not used"); }

  std::string params_;
  std::string response_;
  std::optional<actionhost::ResponseWriter> writer_;
};

// The server's host tables over services of their own.
struct BenchHost {
  actionhost::MemoryCache memory;
  actionhost::CacheService cache{memory};
  actionhost::RoomRegistry rooms;
  actionhost::ActionRegistry actions;
  actionhost::ConnectionTable connections;
  actionhost::ChatService chat{rooms, actions, connections};
  actionhost::ServerStatus status{"bench", 0};
  boost::asio::io_context io;
  actionhost::TimerService timers{io};
  actionhost::HostServices services{cache, chat, actions, connections, status, timers, "."};
  actionhost::HostTables tables = actionhost::host_tables(services);
};

// The answer line the server builds from an action's response.
std::string answer_line(Json response, std::uint64_t count) {
  response["context"] = "response";
  response["messageCount"] = count;
  return actionhost::answers::line(response);
}

Json random_number_direct(const Json&) {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  return Json{{"randomNumber", std::uniform_real_distribution<double>(0.0, 1.0)(generator)}};
}

const Json kParams = {{"action", "randomNumber"}, {"messageId", "5d2b1b3c-6a8e-4a0f-9a55-0f2c7f0c3b11"}};

void BM_DirectCall(benchmark::State& state) {
  std::uint64_t count = 0;
  for (auto _ : state) {
    std::string line = answer_line(random_number_direct(kParams), ++count);
    benchmark::DoNotOptimize(line);
  }
}
BENCHMARK(BM_DirectCall);

// Calls randomNumber from `file` through the ABI as the server does, `state` times.
void through_the_abi(benchmark::State& state, const char* file) {
  static BenchHost host;
  actionhost::PluginLoader loader(host.tables);
  auto loaded = loader.load(file);
  if (!loaded) throw std::runtime_error(loaded.problem().message);
  const actionhost::Action& action = *loaded->actions.front();
  BenchCall call;
  std::uint64_t count = 0;
  for (auto _ : state) {
    call.params_ = actionhost::answers::text(kParams);
    if (action.run) {
      action.run(action.user, call.handle());
    } else {
      action.run_v1(action.user, call.handle(), {call.params_.data(), call.params_.size()});
    }
    if (actionhost::check_object(call.response_, {"context", "messageCount", "messageId"}) !=
        actionhost::ObjectCheck::spliceable) {
      throw std::runtime_error("randomNumber's response was not spliceable: " + call.response_);
    }
    std::string line = actionhost::answers::action_response(call.response_, {++count, std::nullopt});
    benchmark::DoNotOptimize(line);
  }
}

// The shipped plugin: ABI version 2, the SDK's fast path.
void BM_FastPath(benchmark::State& state) { through_the_abi(state, ACTIONHOST_PLUGIN_DIR "/random_number.so"); }
BENCHMARK(BM_FastPath);

// The same action on the SDK's plain-JSON path, ABI version 2.
void BM_JsonPath(benchmark::State& state) {
  through_the_abi(state, ACTIONHOST_TEST_PLUGIN_DIR "/random_number_json.so");
}
BENCHMARK(BM_JsonPath);

// The plain-JSON source built against ABI version 1's headers.
void BM_AbiV1(benchmark::State& state) {
  through_the_abi(state, ACTIONHOST_TEST_PLUGIN_DIR "/abi_v1/random_number_v1.so");
}
BENCHMARK(BM_AbiV1);

}  // namespace

BENCHMARK_MAIN();
