#pragma once
// The typed configuration of one actionhost process (SPEC §3). Every field has the
// default of config/actionhost.toml, so a default-constructed Config is a valid one.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "util/json.hpp"

namespace actionhost {

struct ServerConfig {
  std::string id;  // "" → generated at start-up
  std::string name = "actionhero API";
  std::string api_version = "0.0.1";
  std::string welcome_message = "Hello! Welcome to the actionhero api";
  int threads = 0;  // 0 → one per core
  int simultaneous_actions = 5;
  bool disable_param_scrubbing = false;
  std::int64_t shutdown_grace_ms = 5000;
  bool supervise = true;  // a supervisor process restarts the server if a plugin crashes it
};

struct SocketConfig {
  bool enabled = true;
  std::string bind = "0.0.0.0";
  std::uint16_t port = 5000;
  bool secure = false;
  std::string cert = "certs/server-cert.pem";
  std::string key = "certs/server-key.pem";
  bool keepalive = false;
  std::size_t max_line_bytes = 1048576;
  std::size_t max_output_bytes = 16777216;
  std::size_t max_connections = 0;         // 0 = no limit
  std::size_t max_connections_per_ip = 0;  // open connections from one remote address; 0 = no limit
  std::size_t max_params = 64;             // sticky params per connection
  std::size_t max_params_bytes = 65536;    // sticky params per connection, keys and values together
  std::int64_t idle_timeout_ms = 0;        // 0 = never
};

struct ChatConfig {
  std::vector<std::string> starting_rooms = {"defaultRoom", "anotherRoom"};
  std::string default_room = "defaultRoom";  // "" = none
  std::size_t max_rooms = 10000;             // rooms in all (starting rooms and those plugins create)
  std::size_t max_members_per_room = 0;      // 0 = no limit
};

struct CacheConfig {
  std::size_t max_bytes = 268435456;  // keys and values together; a save past it fails, nothing is evicted
};

struct PluginsConfig {
  std::string dir = "build/plugins";
  bool watch = true;
  std::int64_t debounce_ms = 100;
  // [plugins.config.NAME]: each plugin's settings, handed to it at load as a JSON object.
  std::map<std::string, Json, std::less<>> settings;
};

struct ActionsConfig {
  std::int64_t timeout_ms = 30000;  // 0 = none
  int worker_threads = 2;
};

struct FilesConfig {
  std::string public_dir = "public";
};

struct LogConfig {
  std::string level = "info";
  std::string format = "text";
  std::string actions = "errors";  // one line per action: "none", "errors" (at warn) or "all" (at info)
  std::vector<std::string> filter_params = {"password", "token"};  // logged as [FILTERED]
};

struct MetricsConfig {
  std::string listen;  // "HOST:PORT" serves GET /metrics and GET /healthz; "" = off
  std::string host;    // from `listen`, brackets of an IPv6 address removed
  int port = 0;        // from `listen`; 0 lets the OS choose
};

struct ClusterConfig {
  std::string redis;                   // "" = one server, in memory; else redis://[:PASSWORD@]HOST:PORT[/DB]
  std::string token;                   // required in cluster mode (actionhero's serverToken)
  std::string channel = "actionhero";  // actionhero's config.general.channel
  std::int64_t presence_ttl_ms = 10000;
};

struct Config {
  ServerConfig server;
  SocketConfig socket;
  ChatConfig chat;
  CacheConfig cache;
  PluginsConfig plugins;
  ActionsConfig actions;
  FilesConfig files;
  LogConfig log;
  ClusterConfig cluster;
  MetricsConfig metrics;
};

}  // namespace actionhost
