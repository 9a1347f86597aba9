#pragma once
// The Prometheus text exposition of what the server has done since this process started
// (SPEC §10), built at scrape time from the counters every layer keeps (status/), the
// connection table, the supervisor's crash record and, in cluster mode, the cluster's state.

#include <filesystem>
#include <string>

#include "connections/connection_table.hpp"
#include "status/server_status.hpp"

namespace actionhost {

class Cluster;

struct MetricsSources {
  const ServerStatus& status;
  const ConnectionTable& connections;
  std::filesystem::path plugins_dir;  // for the quarantined files
  const Cluster* cluster = nullptr;   // cluster mode only: actionhost_cluster_up
};

// Every metric, in the Prometheus text format version 0.0.4.
std::string metrics_text(const MetricsSources& sources);

}  // namespace actionhost
