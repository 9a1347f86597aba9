#include "cluster/redis_url.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(RedisUrl, HostAndPort) {
  auto address = parse_redis_url("redis://127.0.0.1:6380");
  ASSERT_TRUE(address) << address.problem().message;
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 6380);
  EXPECT_EQ(address->password, "");
  EXPECT_EQ(address->db, 0);
  EXPECT_EQ(address->text(), "127.0.0.1:6380");
}

TEST(RedisUrl, PasswordAndDatabase) {
  auto address = parse_redis_url("redis://:s3cr@t@redis.example:6379/2");
  ASSERT_TRUE(address) << address.problem().message;
  EXPECT_EQ(address->host, "redis.example");
  EXPECT_EQ(address->password, "s3cr@t");
  EXPECT_EQ(address->db, 2);
  EXPECT_EQ(address->text(), "redis.example:6379/2");  // never the password
}

TEST(RedisUrl, MalformedOnesNameTheExpectedForm) {
  for (const char* url :
       {"127.0.0.1:6379", "redis://", "redis://host", "redis://host:0", "redis://host:99999", "redis://:6379",
        "redis://host:6379/x", "redis://user:pw@host:6379", "http://host:1"}) {
    auto address = parse_redis_url(url);
    ASSERT_FALSE(address) << url;
    EXPECT_NE(address.problem().message.find("expected redis://[:PASSWORD@]HOST:PORT[/DB]"), std::string::npos)
        << address.problem().message;
    EXPECT_NE(address.problem().message.find(url), std::string::npos) << address.problem().message;
  }
}

}  // namespace
}  // namespace actionhost
