// What the plugin boundary costs per action call: the shipped randomNumber plugin called
// through the C ABI as the server calls it (params serialized, as when a messageId changes
// each request; parsed by the SDK; the response serialized, checked by the host and copied
// into the answer line), against the same action called directly as a C++ function with
// its answer line built from the JSON value.
//
//   build/tests/bench/abi_overhead_bench [--benchmark_repetitions=5]

#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>
#include <string>

#include <actionhost/abi.h>

#include "plugins/plugin_loader.hpp"
#include "protocol/answers.hpp"
#include "protocol/json_check.hpp"

namespace {

using actionhost::Json;

std::string g_response;  // what the stub host received

ah_status stub_respond(ah_request*, ah_str response) {
  g_response.assign(response.data, response.size);
  return AH_OK;
}
ah_status stub_fail(ah_request*, ah_str) { return AH_OK; }

ah_host_api stub_host() {
  ah_host_api host{};
  host.abi_version = AH_ABI_VERSION;
  host.size = sizeof host;
  host.respond = stub_respond;
  host.fail = stub_fail;
  return host;
}

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

void BM_ThroughTheAbi(benchmark::State& state) {
  static const ah_host_api host = stub_host();
  actionhost::PluginLoader loader(&host);
  auto loaded = loader.load(ACTIONHOST_PLUGIN_DIR "/random_number.so");
  if (!loaded) throw std::runtime_error(loaded.problem().message);
  const actionhost::Action& action = *loaded->actions.front();
  std::uint64_t count = 0;
  for (auto _ : state) {
    std::string params = actionhost::answers::text(kParams);
    action.run(action.user, reinterpret_cast<ah_request*>(&count), {params.data(), params.size()});
    if (actionhost::check_object(g_response, {"context", "messageCount", "messageId"}) !=
        actionhost::ObjectCheck::spliceable) {
      throw std::runtime_error("randomNumber's response was not spliceable: " + g_response);
    }
    std::string line = actionhost::answers::action_response(g_response, {++count, std::nullopt});
    benchmark::DoNotOptimize(line);
  }
}
BENCHMARK(BM_ThroughTheAbi);

}  // namespace

BENCHMARK_MAIN();
