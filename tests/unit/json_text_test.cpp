// append_json writes what nlohmann's dump(-1, ' ', false, replace) writes, byte for byte.

#include <gtest/gtest.h>

#include <random>

#include "protocol/answers.hpp"
#include "protocol/json_text.hpp"

namespace actionhost {
namespace {

std::string nlohmann_text(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string ours(const Json& value) {
  std::string out = "prefix:";
  append_json(out, value);
  return out.substr(7);
}

TEST(JsonText, WritesWhatNlohmannWritesForEveryKindOfValue) {
  const std::vector<Json> values = {
      nullptr,
      true,
      false,
      0,
      -1,
      42,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::uint64_t>::max(),
      0.5,
      1.0,
      -0.0,
      1e20,
      1e-7,
      3.141592653589793,
      std::numeric_limits<double>::infinity(),
      std::nan(""),
      "",
      "plain text",
      "a \"quoted\" \\ back",
      "tab\tnew\nline\rcr\bbs\fff\x01\x1f",
      "del\x7f",
      "é ü ☃ 🎉",
      std::string("nul\0inside", 10),
      "bad \xff\xfe utf-8",
      "cut \xe2\x98",
      Json::object(),
      Json::array(),
      Json{{"id", "5d2b1b3c"}, {"n", 1}, {"nested", {{"a", Json::array({1, "x", nullptr, 2.5})}}}},
      Json{{"k\"ey", "v"}, {"ü", {{"", Json::object()}}}, {"\xff", 1}},
      Json::array({Json::array(), Json::object(), Json::array({Json::array({1})})}),
      Json::binary({1, 2, 3})};
  for (const Json& value : values) EXPECT_EQ(ours(value), nlohmann_text(value)) << nlohmann_text(value);
}

TEST(JsonText, MatchesNlohmannOnRandomBytesAndTrees) {
  std::mt19937 random(7);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(random() % 24, '\0');
    for (char& c : bytes) c = static_cast<char>(random() % 256);
    Json tree = {{"s", bytes}, {"a", Json::array({bytes, static_cast<int>(random()), random() / 7.0})}};
    tree[bytes] = {{"k", i}};
    EXPECT_EQ(ours(tree), nlohmann_text(tree));
  }
}

// Eight bytes are checked at a time: one byte to escape, at every place of every length.
TEST(JsonText, FindsTheOneByteToEscapeWhereverItIs) {
  for (char special : {'"', '\\', '\n', '\x01', '\x1f', '\x7f', ' ', '\xc3', '\xff'}) {
    for (std::size_t size = 1; size <= 40; ++size) {
      for (std::size_t at = 0; at < size; ++at) {
        std::string text(size, 'a');
        text[at] = special;
        EXPECT_EQ(ours(text), nlohmann_text(text)) << "size " << size << " at " << at;
      }
    }
  }
}

TEST(JsonText, AVerbAnswerIsWrittenAroundItsDataInTheSpecsOrder) {
  const Json data = {{"id", "abc"}, {"rooms", Json::array({"defaultRoom"})}};
  EXPECT_EQ(answers::verb_ok(data, {3, Json("m-1")}),
            "{\"status\":\"OK\",\"context\":\"response\",\"data\":{\"id\":\"abc\",\"rooms\":[\"defaultRoom\"]},"
            "\"messageCount\":3,\"messageId\":\"m-1\"}\r\n");
  EXPECT_EQ(answers::verb_ok(nullptr, {1, std::nullopt}),
            "{\"status\":\"OK\",\"context\":\"response\",\"data\":null,\"messageCount\":1}\r\n");
}

}  // namespace
}  // namespace actionhost
