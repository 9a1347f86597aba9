#include "protocol/line_framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace actionhost {
namespace {

// Records every event as text: "L:<line>", "TOO_LONG" or "HANGUP".
struct Recorder {
  std::vector<std::string> events;
  bool operator()(LineFramer::Event event, std::string_view line) {
    switch (event) {
      case LineFramer::Event::line:
        events.push_back("L:" + std::string(line));
        break;
      case LineFramer::Event::overlong_line:
        events.push_back("TOO_LONG");
        break;
      case LineFramer::Event::hangup:
        events.push_back("HANGUP");
        break;
    }
    return true;
  }
};

std::vector<std::string> frame(std::vector<std::string> chunks, std::size_t limit = 1024) {
  LineFramer framer(limit);
  Recorder recorder;
  for (const auto& chunk : chunks) framer.feed(chunk, std::ref(recorder));
  return recorder.events;
}

using Events = std::vector<std::string>;

TEST(LineFramer, SplitsOnNewlineCarriageReturnAndBoth) {
  EXPECT_EQ(frame({"a\nb\rc\r\nd\n"}), (Events{"L:a", "L:b", "L:c", "L:d"}));
}

TEST(LineFramer, DropsEmptyLines) { EXPECT_EQ(frame({"\n\n\r\n\ra\n\n"}), (Events{"L:a"})); }

TEST(LineFramer, JoinsALineSplitAcrossReads) {
  EXPECT_EQ(frame({"para", "mAdd k", "=v\npar", "amsView\n"}), (Events{"L:paramAdd k=v", "L:paramsView"}));
}

TEST(LineFramer, HoldsAnUnfinishedLine) { EXPECT_EQ(frame({"detailsView"}), Events{}); }

TEST(LineFramer, AcceptsALineOfExactlyTheLimit) {
  EXPECT_EQ(frame({std::string(8, 'x') + "\n"}, 8), (Events{"L:xxxxxxxx"}));
}

TEST(LineFramer, RefusesALongerLineOnceAndRecovers) {
  EXPECT_EQ(frame({std::string(9, 'x') + "\nok\n"}, 8), (Events{"TOO_LONG", "L:ok"}));
}

TEST(LineFramer, RefusesALongLineBeforeItsEndArrivesAndDiscardsTheRest) {
  LineFramer framer(8);
  Recorder recorder;
  framer.feed("0123456789", std::ref(recorder));
  EXPECT_EQ(recorder.events, Events{"TOO_LONG"});
  framer.feed(std::string(100, 'y'), std::ref(recorder));
  EXPECT_EQ(framer.buffered_bytes(), 0u);  // memory stays bounded
  framer.feed("zz\nnext\n", std::ref(recorder));
  EXPECT_EQ(recorder.events, (Events{"TOO_LONG", "L:next"}));
}

TEST(LineFramer, CtrlDHangsUpAfterEarlierLines) {
  EXPECT_EQ(frame({"a\nb\x04"
                   "c\n"}),
            (Events{"L:a", "HANGUP"}));
}

TEST(LineFramer, TelnetCtrlCHangsUpEvenWhenSplitAcrossReads) {
  EXPECT_EQ(frame({"a\n\xff", "\xf4\xff\xfd\x06"}), (Events{"L:a", "HANGUP"}));
}

TEST(LineFramer, NothingAfterAHangup) {
  LineFramer framer(64);
  Recorder recorder;
  framer.feed("\x04", std::ref(recorder));
  EXPECT_FALSE(framer.feed("more\n", std::ref(recorder)));
  EXPECT_EQ(recorder.events, Events{"HANGUP"});
}

TEST(LineFramer, StopsWhenTheSinkSaysSo) {
  LineFramer framer(64);
  std::vector<std::string> seen;
  framer.feed("quit\nafter\n", [&](LineFramer::Event, std::string_view line) {
    seen.emplace_back(line);
    return false;
  });
  EXPECT_EQ(seen, Events{"quit"});
}

}  // namespace
}  // namespace actionhost
