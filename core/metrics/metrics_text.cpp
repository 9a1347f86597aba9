#include "metrics/metrics_text.hpp"

#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include "cluster/cluster.hpp"
#include "crashes/quarantine.hpp"

namespace actionhost {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily family(std::string name, std::string help, MetricType type) {
  return {std::move(name), std::move(help), type, {}};
}

ClientMetric sample(double value, std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric metric;
  metric.label = std::move(labels);
  metric.counter.value = value;
  metric.gauge.value = value;
  return metric;
}

MetricFamily one(std::string name, std::string help, MetricType type, double value) {
  auto f = family(std::move(name), std::move(help), type);
  f.metric.push_back(sample(value));
  return f;
}

void add_requests(std::vector<MetricFamily>& families, const RequestCounters::Totals& totals) {
  auto requests = family(
      "actionhost_requests_total",
      "Actions answered, by action and outcome (ok, error, timeout, refused before the body)",
      MetricType::Counter);
  auto durations = family("actionhost_request_duration_seconds", "From the request to its answer, by action",
                          MetricType::Histogram);
  for (const auto& [action, counts] : totals.actions) {
    for (std::size_t i = 0; i < RequestCounters::kOutcomes; ++i) {
      const auto outcome = static_cast<RequestCounters::Outcome>(i);
      requests.metric.push_back(
          sample(static_cast<double>(counts.outcomes[i]),
                 {{"action", action}, {"outcome", std::string(RequestCounters::name(outcome))}}));
    }
    ClientMetric histogram;
    histogram.label = {{"action", action}};
    histogram.histogram.sample_count = counts.count;
    histogram.histogram.sample_sum = counts.seconds;
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < RequestCounters::kBuckets.size(); ++i) {
      cumulative += counts.buckets[i];
      histogram.histogram.bucket.push_back({cumulative, RequestCounters::kBuckets[i]});
    }
    histogram.histogram.bucket.push_back({counts.count, std::numeric_limits<double>::infinity()});
    durations.metric.push_back(std::move(histogram));
  }
  families.push_back(std::move(requests));
  families.push_back(std::move(durations));
}

}  // namespace

std::string metrics_text(const MetricsSources& sources) {
  const ServerStatus& status = sources.status;
  const RequestCounters::Totals totals = status.requests.totals();
  std::vector<MetricFamily> families;
  families.push_back(one("actionhost_connections", "Open client connections", MetricType::Gauge,
                         static_cast<double>(sources.connections.size())));
  add_requests(families, totals);
  auto loads = family("actionhost_plugin_loads_total",
                      "Plugin files loaded or refused since this process started, by result",
                      MetricType::Counter);
  loads.metric.push_back(
      sample(static_cast<double>(status.plugin_loads_loaded.load()), {{"result", "loaded"}}));
  loads.metric.push_back(
      sample(static_cast<double>(status.plugin_loads_refused.load()), {{"result", "refused"}}));
  loads.metric.push_back(
      sample(static_cast<double>(status.plugin_loads_quarantined.load()), {{"result", "quarantined"}}));
  families.push_back(std::move(loads));
  families.push_back(one("actionhost_plugins_quarantined", "Plugin files quarantined after a crash (SPEC §8)",
                         MetricType::Gauge,
                         static_cast<double>(crash::quarantined_files(sources.plugins_dir).size())));
  families.push_back(one("actionhost_crashes_total", "Server crashes since the supervisor started",
                         MetricType::Counter, static_cast<double>(crash::crash_count())));
  families.push_back(one("actionhost_bytes_received_total", "Bytes of requests received from clients",
                         MetricType::Counter, static_cast<double>(totals.bytes_received)));
  families.push_back(one("actionhost_bytes_sent_total", "Bytes of answers and messages sent to clients",
                         MetricType::Counter, static_cast<double>(totals.bytes_sent)));
  if (sources.cluster) {
    families.push_back(one("actionhost_cluster_up", "1 while this server is connected to the cluster's Redis",
                           MetricType::Gauge, sources.cluster->up() ? 1 : 0));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace actionhost
