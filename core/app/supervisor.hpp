#pragma once
// The supervisor (SPEC §8, server.supervise = true): a process that opens the listening
// socket, runs the server as a child that inherits it, and starts a new child at once when
// one dies after it was serving: it logs the signal, the plugin file and the action (or
// timer, on_load, on_unload) that was running, with the child's backtrace, and quarantines
// that file. It loads no plugin and serves no client. As nginx's master and actionhero's
// cluster master do.
//
//   - A child that fails before it is serving (config, TLS, bind) is not restarted: the
//     supervisor exits with its status; unless plugin code crashed it (in on_load, say):
//     that file is quarantined and the next child starts without it.
//   - SIGINT, SIGTERM and SIGHUP are forwarded to the child; after SIGINT or SIGTERM the
//     supervisor exits with the child's status. If the supervisor dies, the child gets
//     SIGTERM (PR_SET_PDEATHSIG) and shuts down gracefully.
//   - More than 5 crashes within 60 s with no plugin to blame: it logs why and exits 1.

#include <functional>

#include "config/config.hpp"

namespace actionhost {

// Runs `serve(listening_fd)` (the server; its return value is the child's exit status) in
// child processes as above; returns the supervisor's exit status.
int supervise(const Config& config, const std::function<int(int listening_fd)>& serve);

}  // namespace actionhost
