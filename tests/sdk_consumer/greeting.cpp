#include "greeting.hpp"

namespace greeting {

std::string greet(const std::string& who) {
  ++greetings_made();
  count_call();
  return "hello " + who;
}

}  // namespace greeting
