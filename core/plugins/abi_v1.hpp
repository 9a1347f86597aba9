#pragma once
// ABI version 1's structs as they were frozen (tests/plugins/abi_v1/actionhost/abi.h), so
// that plugins built against it keep loading (SPEC §5.1). Only the layouts that changed in
// version 2 are here; ah_status, ah_str, ah_sink and the callback types are the same.

#include <cstddef>
#include <cstdint>

#include <actionhost/abi.h>

namespace actionhost::abi_v1 {

using RunFn = void (*)(void* user, ah_request* request, ah_str params_json);

struct HostApi {
  std::uint32_t abi_version;
  std::uint32_t size;
  ah_status (*respond)(ah_request* request, ah_str response_json);
  ah_status (*fail)(ah_request* request, ah_str message);
  ah_status (*request_connection_id)(ah_request* request, ah_sink sink, void* sink_context);
  ah_status (*cache_save)(ah_str key, ah_str value_json, std::int64_t expire_in_ms);
  ah_status (*cache_load)(ah_str key, ah_sink sink, void* sink_context);
  ah_status (*cache_destroy)(ah_str key);
  std::int64_t (*cache_size)();
  ah_status (*room_create)(ah_str room);
  ah_status (*room_broadcast)(ah_str room, ah_str message);
  ah_status (*timer_start)(ah_plugin* plugin, std::uint64_t delay_ms, ah_timer_fn fire, void* user);
  void (*log)(ah_plugin* plugin, ah_log_level level, ah_str message);
  ah_status (*server_status)(ah_sink sink, void* sink_context);
  ah_status (*documentation)(ah_sink sink, void* sink_context);
  ah_status (*timer_every)(ah_plugin* plugin, std::uint64_t delay_ms, std::uint64_t interval_ms,
                           ah_timer_fn fire, ah_timer_fn drop, void* user, std::uint64_t* timer_id);
  ah_status (*timer_cancel)(ah_plugin* plugin, std::uint64_t timer_id);
};

struct InputDef {
  const char* name;
  std::int32_t required;
  const char* default_json;
  ah_format_fn format;
  void* format_user;
  ah_validate_fn validate;
  void* validate_user;
  void* reserved[4];
};

struct ActionDef {
  const char* name;
  std::int32_t version;
  const char* description;
  const char* output_example_json;
  const InputDef* inputs;
  std::size_t input_count;
  std::uint32_t flags;
  RunFn run;
  void* user;
  void* reserved[4];
};

struct PluginDef {
  std::uint32_t abi_version;
  std::uint32_t size;
  const char* name;
  const char* version;
  const ActionDef* actions;
  std::size_t action_count;
  ah_status (*on_load)(const HostApi* host, ah_plugin* plugin, ah_sink sink, void* sink_context);
  void (*on_unload)();
  void* reserved[8];
};

}  // namespace actionhost::abi_v1
