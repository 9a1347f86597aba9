#pragma once
// The one way code inside core/ says that something failed (CONTRIBUTING.md).
//
// A function that can fail returns Result<T>: its value, or a Problem; one with no value
// returns Result<> (success, or a Problem). Both are [[nodiscard]]. A Problem's message is
// written for whoever meets it (a client, an operator, a plugin author), in the SPEC's words
// where it gives them, and says what to do; its kind is what the C boundary turns into an
// ah_status. Exceptions thrown by libraries (nlohmann::json, toml++, Boost) are caught where
// those libraries are called and become Problems; core/ itself throws none.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace actionhost {

struct Problem {
  enum class Kind {
    invalid,      // what was asked is malformed or not allowed
    not_found,    // no such thing (room, key, file, action)
    expired,      // it existed, and its time is up (a cache entry)
    conflict,     // it clashes with what exists (already a member, already served)
    too_large,    // past a configured limit
    internal,     // the server failed, not the caller
    unavailable,  // a service it needs (the cluster's Redis) cannot be reached now
  };

  Kind kind = Kind::invalid;
  std::string message;

  static Problem invalid(std::string message) { return {Kind::invalid, std::move(message)}; }
  static Problem not_found(std::string message) { return {Kind::not_found, std::move(message)}; }
  static Problem expired(std::string message) { return {Kind::expired, std::move(message)}; }
  static Problem conflict(std::string message) { return {Kind::conflict, std::move(message)}; }
  static Problem too_large(std::string message) { return {Kind::too_large, std::move(message)}; }
  static Problem internal(std::string message) { return {Kind::internal, std::move(message)}; }
  // Always in the SPEC's words (§9).
  static Problem unavailable() { return {Kind::unavailable, "the cluster is unavailable"}; }
};

template <class T = void>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}            // NOLINT: implicit by design
  Result(Problem problem) : state_(std::in_place_index<1>, std::move(problem)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Only when ok().
  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Only when !ok().
  const Problem& problem() const& { return std::get<1>(state_); }
  Problem&& problem() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Problem> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Problem problem) : problem_(std::move(problem)) {}  // NOLINT: implicit by design

  bool ok() const { return !problem_.has_value(); }
  explicit operator bool() const { return ok(); }

  // Only when !ok().
  const Problem& problem() const& { return *problem_; }
  Problem&& problem() && { return *std::move(problem_); }

 private:
  std::optional<Problem> problem_;
};

}  // namespace actionhost
