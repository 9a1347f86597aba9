#include "net/outbox.hpp"

#include <gtest/gtest.h>

namespace actionhost {
namespace {

TEST(Outbox, FirstPushStartsTheWriterAndLaterOnesQueueBehindIt) {
  Outbox outbox(1024);
  EXPECT_EQ(outbox.push(share_bytes("a")), Outbox::Push::start_writer);
  EXPECT_EQ(outbox.push(share_bytes("b")), Outbox::Push::queued);
  std::vector<SharedBytes> batch;
  ASSERT_TRUE(outbox.take(batch));
  ASSERT_EQ(batch.size(), 2u);  // both leave in one write
  EXPECT_EQ(*batch[0], "a");
  EXPECT_EQ(*batch[1], "b");
  EXPECT_EQ(outbox.push(share_bytes("c")), Outbox::Push::queued);  // a write is in flight
  outbox.written(2);
  ASSERT_TRUE(outbox.take(batch));
  EXPECT_EQ(*batch[0], "c");
  outbox.written(1);
  EXPECT_FALSE(outbox.take(batch));  // drained: the writer goes idle
  EXPECT_TRUE(outbox.idle());
  EXPECT_EQ(outbox.push(share_bytes("d")), Outbox::Push::start_writer);
}

TEST(Outbox, UnwrittenBytesCountAgainstTheCap) {
  Outbox outbox(10);
  EXPECT_EQ(outbox.push(share_bytes("12345")), Outbox::Push::start_writer);
  std::vector<SharedBytes> batch;
  outbox.take(batch);  // taken but not yet written: still counted
  EXPECT_EQ(outbox.push(share_bytes("12345")), Outbox::Push::queued);
  EXPECT_EQ(outbox.queued_bytes(), 10u);
  EXPECT_EQ(outbox.push(share_bytes("x")), Outbox::Push::overflow);
  EXPECT_EQ(outbox.push(share_bytes("y")), Outbox::Push::refused);  // overflow seals it
}

TEST(Outbox, SealKeepsWhatIsQueuedAndRefusesMore) {
  Outbox outbox(100);
  outbox.push(share_bytes("bye"));
  outbox.seal();
  EXPECT_EQ(outbox.push(share_bytes("late chat")), Outbox::Push::refused);
  std::vector<SharedBytes> batch;
  ASSERT_TRUE(outbox.take(batch));
  EXPECT_EQ(*batch[0], "bye");
}

}  // namespace
}  // namespace actionhost
