#pragma once
// A Redis reply copied out of hiredis's, so it can cross threads and outlive the callback.

#include <cstdint>
#include <string>
#include <vector>

struct redisReply;

namespace actionhost {

struct RedisReply {
  enum class Type { nil, integer, string, status, array, error };

  Type type = Type::nil;
  std::int64_t integer = 0;
  std::string text;  // string, status and error
  std::vector<RedisReply> elements;

  bool is_error() const { return type == Type::error; }
  bool is_disconnected() const { return type == Type::error && text == disconnected().text; }
  // The error a dropped connection gives every command it had not answered.
  static RedisReply disconnected() { return {Type::error, 0, "connection to redis lost", {}}; }
  static RedisReply copy_of(const redisReply* reply);
};

}  // namespace actionhost
