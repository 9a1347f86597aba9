#include "util/uuid.hpp"

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace actionhost {

std::string make_uuid_v4() {
  // random_generator is not thread-safe; one per thread avoids a lock per connection.
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

}  // namespace actionhost
