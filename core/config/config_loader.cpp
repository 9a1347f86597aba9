#include "config/config_loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>

#include <toml++/toml.h>

namespace actionhost {
namespace {

// Every problem found, not just the first.
struct ConfigResult {
  Config config;
  std::vector<std::string> errors;  // in the order of the file, then of the --set arguments
};

Result<Config> to_result(ConfigResult collected) {
  if (collected.errors.empty()) return std::move(collected.config);
  std::string lines;
  for (const auto& error : collected.errors) lines += (lines.empty() ? "" : "\n") + error;
  return Problem::invalid(std::move(lines));
}

// Binds one TOML value into the Config; returns what was expected when it does not fit.
using Binder = std::function<std::optional<std::string>(const toml::node&, Config&)>;

struct KeySpec {
  std::string_view section;
  std::string_view name;
  Binder bind;
};

template <class Section, class T>
KeySpec integer_key(std::string_view section, std::string_view name, Section Config::*part, T Section::*field,
                    std::int64_t min, std::int64_t max) {
  return {section, name, [=](const toml::node& node, Config& cfg) -> std::optional<std::string> {
            auto value = node.value_exact<std::int64_t>();
            if (!value || *value < min || *value > max) {
              std::ostringstream expected;
              expected << "an integer from " << min << " to " << max;
              return expected.str();
            }
            (cfg.*part).*field = static_cast<T>(*value);
            return std::nullopt;
          }};
}

template <class Section>
KeySpec bool_key(std::string_view section, std::string_view name, Section Config::*part, bool Section::*field) {
  return {section, name, [=](const toml::node& node, Config& cfg) -> std::optional<std::string> {
            auto value = node.value_exact<bool>();
            if (!value) return "true or false";
            (cfg.*part).*field = *value;
            return std::nullopt;
          }};
}

template <class Section>
KeySpec string_key(std::string_view section, std::string_view name, Section Config::*part,
                   std::string Section::*field, std::vector<std::string> allowed = {}) {
  return {section, name, [=](const toml::node& node, Config& cfg) -> std::optional<std::string> {
            auto value = node.value_exact<std::string>();
            bool fits = value.has_value();
            if (fits && !allowed.empty()) {
              fits = std::find(allowed.begin(), allowed.end(), *value) != allowed.end();
            }
            if (!fits) {
              if (allowed.empty()) return "a string";
              std::string expected = "one of";
              for (const auto& a : allowed) expected += " \"" + a + "\"";
              return expected;
            }
            (cfg.*part).*field = *value;
            return std::nullopt;
          }};
}

// An array of non-empty strings, described in errors as `expected`.
template <class Section>
KeySpec string_list_key(std::string_view section, std::string_view name, Section Config::*part,
                        std::vector<std::string> Section::*field, const char* expected) {
  return {section, name,
          [part, field, expected](const toml::node& node, Config& cfg) -> std::optional<std::string> {
            const auto* array = node.as_array();
            if (!array) return expected;
            std::vector<std::string> items;
            for (const auto& element : *array) {
              auto item = element.value_exact<std::string>();
              if (!item || item->empty()) return expected;
              items.push_back(*item);
            }
            (cfg.*part).*field = std::move(items);
            return std::nullopt;
          }};
}

// metrics.listen: "" or "HOST:PORT" ("[IPv6]:PORT" too); port 0 lets the OS choose.
KeySpec metrics_listen_key() {
  return {"metrics", "listen", [](const toml::node& node, Config& cfg) -> std::optional<std::string> {
            const char* expected = "\"\" (off) or \"HOST:PORT\", e.g. \"127.0.0.1:9100\"";
            auto value = node.value_exact<std::string>();
            if (!value) return expected;
            MetricsConfig metrics{*value, "", 0};
            if (!value->empty()) {
              const auto colon = value->rfind(':');
              if (colon == std::string::npos || colon == 0 || colon + 1 == value->size()) return expected;
              std::string host = value->substr(0, colon);
              if (host.front() == '[') {
                if (host.size() < 3 || host.back() != ']') return expected;
                host = host.substr(1, host.size() - 2);
              }
              const std::string port = value->substr(colon + 1);
              if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return expected;
              const int number = std::stoi(port);
              if (number > 65535) return expected;
              metrics.host = std::move(host);
              metrics.port = number;
            }
            cfg.metrics = std::move(metrics);
            return std::nullopt;
          }};
}

const std::vector<KeySpec>& key_specs() {
  constexpr std::int64_t kIntMax = std::numeric_limits<std::int32_t>::max();
  constexpr std::int64_t kSizeMax = std::numeric_limits<std::int64_t>::max();
  static const std::vector<KeySpec> specs = {
      string_key("server", "id", &Config::server, &ServerConfig::id),
      string_key("server", "name", &Config::server, &ServerConfig::name),
      string_key("server", "api_version", &Config::server, &ServerConfig::api_version),
      string_key("server", "welcome_message", &Config::server, &ServerConfig::welcome_message),
      integer_key("server", "threads", &Config::server, &ServerConfig::threads, 0, 1024),
      integer_key("server", "simultaneous_actions", &Config::server, &ServerConfig::simultaneous_actions, 1,
                  kIntMax),
      bool_key("server", "disable_param_scrubbing", &Config::server, &ServerConfig::disable_param_scrubbing),
      integer_key("server", "shutdown_grace_ms", &Config::server, &ServerConfig::shutdown_grace_ms, 0, kIntMax),
      bool_key("server", "supervise", &Config::server, &ServerConfig::supervise),

      bool_key("socket", "enabled", &Config::socket, &SocketConfig::enabled),
      string_key("socket", "bind", &Config::socket, &SocketConfig::bind),
      integer_key("socket", "port", &Config::socket, &SocketConfig::port, 0, 65535),
      bool_key("socket", "secure", &Config::socket, &SocketConfig::secure),
      string_key("socket", "cert", &Config::socket, &SocketConfig::cert),
      string_key("socket", "key", &Config::socket, &SocketConfig::key),
      bool_key("socket", "keepalive", &Config::socket, &SocketConfig::keepalive),
      integer_key("socket", "max_line_bytes", &Config::socket, &SocketConfig::max_line_bytes, 1, kSizeMax),
      integer_key("socket", "max_output_bytes", &Config::socket, &SocketConfig::max_output_bytes, 1, kSizeMax),
      integer_key("socket", "max_connections", &Config::socket, &SocketConfig::max_connections, 0, kSizeMax),
      integer_key("socket", "max_connections_per_ip", &Config::socket, &SocketConfig::max_connections_per_ip, 0,
                  kSizeMax),
      integer_key("socket", "max_params", &Config::socket, &SocketConfig::max_params, 1, kSizeMax),
      integer_key("socket", "max_params_bytes", &Config::socket, &SocketConfig::max_params_bytes, 1, kSizeMax),
      integer_key("socket", "idle_timeout_ms", &Config::socket, &SocketConfig::idle_timeout_ms, 0, kSizeMax),

      string_list_key("chat", "starting_rooms", &Config::chat, &ChatConfig::starting_rooms,
                      "an array of non-empty room names"),
      string_key("chat", "default_room", &Config::chat, &ChatConfig::default_room),
      integer_key("chat", "max_rooms", &Config::chat, &ChatConfig::max_rooms, 1, kSizeMax),
      integer_key("chat", "max_members_per_room", &Config::chat, &ChatConfig::max_members_per_room, 0,
                  kSizeMax),

      integer_key("cache", "max_bytes", &Config::cache, &CacheConfig::max_bytes, 1, kSizeMax),

      string_key("plugins", "dir", &Config::plugins, &PluginsConfig::dir),
      bool_key("plugins", "watch", &Config::plugins, &PluginsConfig::watch),
      integer_key("plugins", "debounce_ms", &Config::plugins, &PluginsConfig::debounce_ms, 0, kIntMax),

      integer_key("actions", "timeout_ms", &Config::actions, &ActionsConfig::timeout_ms, 0, kSizeMax),
      integer_key("actions", "worker_threads", &Config::actions, &ActionsConfig::worker_threads, 1, 256),

      string_key("files", "public_dir", &Config::files, &FilesConfig::public_dir),

      string_key("log", "level", &Config::log, &LogConfig::level, {"trace", "debug", "info", "warn", "error"}),
      string_key("log", "format", &Config::log, &LogConfig::format, {"text", "json"}),
      string_key("log", "actions", &Config::log, &LogConfig::actions, {"none", "errors", "all"}),
      string_list_key("log", "filter_params", &Config::log, &LogConfig::filter_params,
                      "an array of non-empty param names"),

      string_key("cluster", "redis", &Config::cluster, &ClusterConfig::redis),
      string_key("cluster", "token", &Config::cluster, &ClusterConfig::token),
      string_key("cluster", "channel", &Config::cluster, &ClusterConfig::channel),
      integer_key("cluster", "presence_ttl_ms", &Config::cluster, &ClusterConfig::presence_ttl_ms, 100,
                  kIntMax),

      metrics_listen_key(),
  };
  return specs;
}

std::string known_names(std::string_view section) {
  std::string names;
  std::set<std::string_view> seen;
  for (const auto& spec : key_specs()) {
    std::string_view name = section.empty() ? spec.section : spec.name;
    if (!section.empty() && spec.section != section) continue;
    if (!seen.insert(name).second) continue;
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

std::string describe(const toml::node& node) {
  std::ostringstream out;
  if (node.is_table()) return "a table";
  if (node.is_array()) return "an array";
  if (auto text = node.value_exact<std::string>()) return "\"" + *text + "\"";
  node.visit([&](const auto& value) {
    if constexpr (toml::is_value<decltype(value)>) out << value;
  });
  return out.str();
}

// A TOML value as JSON (dates and times as their TOML text).
Json to_json(const toml::node& node) {
  if (const auto* table = node.as_table()) {
    Json object = Json::object();
    for (const auto& [key, value] : *table) object[std::string(key.str())] = to_json(value);
    return object;
  }
  if (const auto* array = node.as_array()) {
    Json list = Json::array();
    for (const auto& value : *array) list.push_back(to_json(value));
    return list;
  }
  if (auto text = node.value_exact<std::string>()) return *text;
  if (auto number = node.value_exact<std::int64_t>()) return *number;
  if (auto number = node.value_exact<double>()) return *number;
  if (auto flag = node.value_exact<bool>()) return *flag;
  return describe(node);
}

class Loader {
 public:
  Loader(std::string_view source_name) : source_name_(source_name) {}

  // `overridden` maps each key set with --set to the position of its argument.
  ConfigResult load(toml::table& root, const std::map<std::string, std::size_t>& overridden) {
    ConfigResult result;
    overridden_ = &overridden;
    for (auto& [section_key, section_node] : root) {
      std::string section(section_key.str());
      auto* table = section_node.as_table();
      if (!table) {
        error(result, section_node, section,
              "expected a table ([" + section + "]), got " + describe(section_node));
        continue;
      }
      if (known_names(section).empty()) {
        error(result, section_node, section, "unknown section; known sections are " + known_names(""));
        continue;
      }
      for (auto& [key, value] : *table) {
        bind_key(result, section, std::string(key.str()), value);
      }
    }
    // toml++ iterates keys sorted by name; report in file order, then --set order.
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [position, message] : errors_) result.errors.push_back(std::move(message));
    return result;
  }

 private:
  void bind_key(ConfigResult& result, const std::string& section, const std::string& key,
                const toml::node& value) {
    std::string dotted = section + "." + key;
    if (dotted == "plugins.config") {
      bind_plugin_settings(result, value);
      return;
    }
    for (const auto& spec : key_specs()) {
      if (spec.section != section || spec.name != key) continue;
      if (auto expected = spec.bind(value, result.config)) {
        error(result, value, dotted, "expected " + *expected + ", got " + describe(value));
      }
      return;
    }
    error(result, value, dotted, "unknown key; known keys in [" + section + "] are " + known_names(section));
  }

  // [plugins.config.NAME] tables: any TOML, kept as JSON for the plugin named NAME.
  void bind_plugin_settings(ConfigResult& result, const toml::node& value) {
    const auto* plugins = value.as_table();
    if (!plugins) {
      error(result, value, "plugins.config", "expected tables [plugins.config.NAME], got " + describe(value));
      return;
    }
    for (const auto& [name, settings] : *plugins) {
      std::string dotted = "plugins.config." + std::string(name.str());
      if (!settings.is_table()) {
        error(result, settings, dotted, "expected a table ([" + dotted + "]), got " + describe(settings));
        continue;
      }
      result.config.plugins.settings[std::string(name.str())] = to_json(settings);
    }
  }

  void error(ConfigResult&, const toml::node& node, const std::string& dotted, const std::string& what) {
    std::ostringstream out;
    std::size_t position;
    if (auto it = overridden_->find(dotted); it != overridden_->end()) {
      out << "--set " << dotted;
      position = kAfterFileLines + it->second;
    } else {
      out << source_name_ << ":" << node.source().begin.line;
      position = node.source().begin.line;
    }
    out << ": " << dotted << ": " << what;
    errors_.emplace_back(position, out.str());
  }

  static constexpr std::size_t kAfterFileLines = std::size_t{1} << 40;
  std::string source_name_;
  const std::map<std::string, std::size_t>* overridden_ = nullptr;
  std::vector<std::pair<std::size_t, std::string>> errors_;  // (order, message)
};

// Applies one --set argument to the parsed document; returns an error message or "".
std::string apply_override(toml::table& root, const std::string& argument, std::size_t position,
                           std::map<std::string, std::size_t>& overridden) {
  auto eq = argument.find('=');
  std::string dotted = argument.substr(0, eq);
  std::vector<std::string> parts;
  for (std::size_t start = 0;;) {
    auto dot = dotted.find('.', start);
    parts.push_back(dotted.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  // SECTION.KEY, or plugins.config.NAME.KEY for one plugin setting.
  const bool plugin_setting = parts.size() == 4 && parts[0] == "plugins" && parts[1] == "config";
  const bool any_empty = std::any_of(parts.begin(), parts.end(),
                                     [](const std::string& p) { return p.empty(); });
  if (eq == std::string::npos || any_empty || (parts.size() != 2 && !plugin_setting)) {
    return "--set " + argument +
           ": expected SECTION.KEY=VALUE (e.g. --set socket.port=5001) or plugins.config.NAME.KEY=VALUE";
  }
  std::string raw = argument.substr(eq + 1);

  toml::table holder;
  try {
    holder = toml::parse("v = " + raw);
  } catch (const toml::parse_error&) {
  }
  if (holder.size() != 1 || !holder.contains("v")) {
    holder = toml::table{{"v", raw}};  // a bare word is a string
  }

  // The tables on the way to the key, made when missing.
  toml::table* table = &root;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    toml::table* next = (*table)[parts[i]].as_table();
    if (!next) {
      if (table->contains(parts[i])) {
        return "--set " + argument + ": " + parts[i] + " is not a table in the config file";
      }
      table->insert(parts[i], toml::table{});
      next = (*table)[parts[i]].as_table();
    }
    table = next;
  }
  table->insert_or_assign(parts.back(), *holder.get("v"));
  overridden[dotted] = position;
  return {};
}

}  // namespace

Result<Config> load_config_text(std::string_view toml_text, std::string_view source_name,
                                const std::vector<std::string>& overrides) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    ConfigResult result;
    std::ostringstream out;
    out << source_name << ":" << e.source().begin.line << ":" << e.source().begin.column
        << ": invalid TOML: " << e.description();
    result.errors.push_back(out.str());
    return to_result(std::move(result));
  }

  std::map<std::string, std::size_t> overridden;
  std::vector<std::string> override_errors;
  for (std::size_t i = 0; i < overrides.size(); ++i) {
    if (auto message = apply_override(root, overrides[i], i, overridden); !message.empty()) {
      override_errors.push_back(message);
    }
  }

  ConfigResult result = Loader(source_name).load(root, overridden);
  result.errors.insert(result.errors.begin(), override_errors.begin(), override_errors.end());
  return to_result(std::move(result));
}

Result<Config> load_config_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Problem::not_found(path + ": cannot read the config file (" + std::strerror(errno) +
                              "); pass --config FILE with an existing file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_config_text(text.str(), path, overrides);
}

}  // namespace actionhost
