// The plain static library `counting` (add_library(counting STATIC ...)).
#include "greeting.hpp"

namespace counting {
template <typename T>
struct Shared {
  static inline T value = 0;
};
}  // namespace counting

int count_call() { return ++counting::Shared<int>::value; }
