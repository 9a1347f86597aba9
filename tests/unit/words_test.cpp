#include "protocol/words.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(SplitWord, TakesTheFirstWordAndKeepsTheRestVerbatim) {
  auto split = split_word("say   room  hello   there  ");
  EXPECT_EQ(split.word, "say");
  EXPECT_EQ(split.rest, "room  hello   there  ");
}

TEST(SplitWord, SkipsLeadingSpaces) {
  auto split = split_word("   detailsView");
  EXPECT_EQ(split.word, "detailsView");
  EXPECT_EQ(split.rest, "");
}

TEST(SplitWord, OnlySpacesGiveNothing) {
  auto split = split_word("    ");
  EXPECT_TRUE(split.word.empty());
  EXPECT_TRUE(split.rest.empty());
}

TEST(SplitWord, TrailingSpacesAfterTheLastWordAreNoRest) {
  auto split = split_word("roomView    ");
  EXPECT_EQ(split.word, "roomView");
  EXPECT_EQ(split.rest, "");
}

}  // namespace
}  // namespace actionhost
