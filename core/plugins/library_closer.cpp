#include "plugins/library_closer.hpp"

#include <boost/asio/post.hpp>

#include "plugins/plugin_library.hpp"

namespace actionhost {

void LibraryCloser::close(PluginLibrary* library) {
  {
    std::lock_guard lock(mutex_);
    if (manager_) {
      handed_.push_back(library);
      if (handed_.size() == 1) {
        boost::asio::post(*manager_, [self = shared_from_this()] { self->close_handed_over(); });
      }
      return;
    }
  }
  delete library;
}

void LibraryCloser::close_handed_over() {
  std::vector<PluginLibrary*> libraries;
  {
    std::lock_guard lock(mutex_);
    libraries.swap(handed_);
  }
  for (PluginLibrary* library : libraries) delete library;
}

void LibraryCloser::stop() {
  {
    std::lock_guard lock(mutex_);
    manager_ = nullptr;
  }
  close_handed_over();
}

}  // namespace actionhost
