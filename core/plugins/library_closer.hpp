#pragma once
// Closes plugin libraries on one thread, the plugin manager's (SPEC §5.2): whichever thread
// drops the last reference to a library (a plugin's own thread answering a request, an I/O
// thread after a timer) only hands it over, so on_unload and dlclose never run on a thread
// that is running the plugin's code, as InspIRCd defers its unloads to the end of its loop.
//
// Every library's shared_ptr deleter holds the closer, which so outlives them all. Once the
// manager's thread has stopped (at exit, when no plugin code runs any more), libraries close
// on the thread that drops them.

#include <memory>
#include <mutex>
#include <vector>

#include <boost/asio/io_context.hpp>

namespace actionhost {

class PluginLibrary;

class LibraryCloser : public std::enable_shared_from_this<LibraryCloser> {
 public:
  // `manager` is the io_context the manager's thread runs.
  explicit LibraryCloser(boost::asio::io_context& manager) : manager_(&manager) {}

  // A deleter for a library's shared_ptr. Thread-safe.
  void close(PluginLibrary* library);

  // The manager's thread has stopped: closes what was handed over and not yet closed, and
  // every later library on the thread that drops it.
  void stop();

  // The deleter to give the library's shared_ptr.
  auto deleter() {
    return [closer = shared_from_this()](PluginLibrary* library) { closer->close(library); };
  }

 private:
  // On the manager's thread: closes what was handed over.
  void close_handed_over();

  std::mutex mutex_;
  boost::asio::io_context* manager_;    // null once stopped
  std::vector<PluginLibrary*> handed_;  // to close on the manager's thread
};

}  // namespace actionhost
