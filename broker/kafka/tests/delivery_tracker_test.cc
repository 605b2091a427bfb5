#include "broker/kafka/internal/delivery_tracker.h"

#include <gtest/gtest.h>

namespace market::kafka::internal {
namespace {

// Begins the next sequence with `events` events handed to the producer.
void BeginWith(DeliveryTracker& tracker, uint32_t events, uint64_t timestamp = 0) {
  tracker.Begin(timestamp);
  for (uint32_t i = 0; i < events; ++i) tracker.Produced();
}

TEST(DeliveryTracker, StartsAfterTheStoredCursor) {
  DeliveryTracker tracker(41);
  EXPECT_EQ(tracker.cursor(), 41u);
  EXPECT_EQ(tracker.next_sequence(), 42u);
  EXPECT_EQ(tracker.pending_events(), 0u);
  EXPECT_FALSE(tracker.oldest_pending_timestamp_unix_nanos().has_value());
}

TEST(DeliveryTracker, CursorWaitsForEveryEventOfASequence) {
  DeliveryTracker tracker(0);
  BeginWith(tracker, 2);
  EXPECT_TRUE(tracker.OnReport(1, true).has_value());
  EXPECT_EQ(tracker.Advance(), 0u);
  EXPECT_TRUE(tracker.OnReport(1, true).has_value());
  EXPECT_EQ(tracker.Advance(), 1u);
}

TEST(DeliveryTracker, OutOfOrderReportsMoveTheCursorOnlyOverAContiguousPrefix) {
  DeliveryTracker tracker(10);
  BeginWith(tracker, 1, 100);  // 11
  BeginWith(tracker, 1, 200);  // 12
  BeginWith(tracker, 1, 300);  // 13
  ASSERT_TRUE(tracker.OnReport(13, true).has_value());
  ASSERT_TRUE(tracker.OnReport(12, true).has_value());
  EXPECT_EQ(tracker.Advance(), 10u);
  EXPECT_EQ(tracker.oldest_pending_timestamp_unix_nanos(), 100u);
  ASSERT_TRUE(tracker.OnReport(11, true).has_value());
  EXPECT_EQ(tracker.Advance(), 13u);
  EXPECT_EQ(tracker.pending_events(), 0u);
}

TEST(DeliveryTracker, SequencesWithoutEventsPassOnceTheyReachTheFront) {
  DeliveryTracker tracker(0);
  BeginWith(tracker, 1);  // 1
  BeginWith(tracker, 0);  // 2: no events (a retried amend)
  BeginWith(tracker, 0);  // 3
  EXPECT_EQ(tracker.Advance(), 0u);
  ASSERT_TRUE(tracker.OnReport(1, true).has_value());
  EXPECT_EQ(tracker.Advance(), 3u);
}

TEST(DeliveryTracker, AFailedReportHoldsTheCursorAndRewindResendsFromIt) {
  DeliveryTracker tracker(0);
  BeginWith(tracker, 1);  // 1
  BeginWith(tracker, 2);  // 2
  BeginWith(tracker, 1);  // 3
  ASSERT_TRUE(tracker.OnReport(1, true).has_value());
  ASSERT_TRUE(tracker.OnReport(2, false).has_value());
  ASSERT_TRUE(tracker.OnReport(2, true).has_value());
  ASSERT_TRUE(tracker.OnReport(3, true).has_value());
  EXPECT_TRUE(tracker.has_failure());
  EXPECT_EQ(tracker.Advance(), 1u);  // 3 was delivered, but 2 was not
  tracker.Reset();
  EXPECT_FALSE(tracker.has_failure());
  EXPECT_EQ(tracker.next_sequence(), 2u);
}

TEST(DeliveryTracker, FailLastHoldsTheCursorEvenWithNoReportPending) {
  DeliveryTracker tracker(0);
  tracker.Begin(0);
  tracker.FailLast();  // the producer refused the first event
  EXPECT_TRUE(tracker.has_failure());
  EXPECT_EQ(tracker.Advance(), 0u);
}

TEST(DeliveryTracker, ReportsFromBeforeAResetAreIgnored) {
  DeliveryTracker tracker(0);
  BeginWith(tracker, 1);
  tracker.Reset();
  EXPECT_FALSE(tracker.OnReport(1, true).has_value());
  EXPECT_FALSE(tracker.OnReport(99, true).has_value());
  EXPECT_EQ(tracker.pending_events(), 0u);
}

TEST(DeliveryTracker, ExtraReportForASequenceIsIgnored) {
  DeliveryTracker tracker(0);
  BeginWith(tracker, 1);
  BeginWith(tracker, 1);
  ASSERT_TRUE(tracker.OnReport(2, true).has_value());
  EXPECT_FALSE(tracker.OnReport(2, true).has_value());
  EXPECT_EQ(tracker.pending_events(), 1u);
}

}  // namespace
}  // namespace market::kafka::internal
