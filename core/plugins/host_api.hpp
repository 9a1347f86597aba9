#pragma once
// The host services table every plugin receives in on_load (abi.h's ah_host_api), backed by
// this process's Services. Each entry catches everything: nothing throws into a plugin.

#include <actionhost/abi.h>

#include "app/services.hpp"

namespace actionhost {

// The table for `services`, which must outlive every plugin. One server per process: a
// second call replaces the services the table reaches.
const ah_host_api* host_api(Services& services);

// The server's state as the status action reports it (ah_host_api::server_status).
Json server_status(Services& services);

}  // namespace actionhost
