#include "broker/kafka/internal/lag_window.h"

#include <gtest/gtest.h>

namespace market::kafka::internal {
namespace {

TEST(LagWindow, EmptyWindowReportsZero) {
  const LagWindow window(8);
  EXPECT_EQ(window.Percentile(50), 0);
  EXPECT_EQ(window.Percentile(99), 0);
}

TEST(LagWindow, NearestRankPercentiles) {
  LagWindow window(1000);
  for (int64_t lag = 1; lag <= 100; ++lag) window.Add(lag);
  EXPECT_EQ(window.Percentile(50), 50);
  EXPECT_EQ(window.Percentile(99), 99);
  EXPECT_EQ(window.Percentile(100), 100);
  EXPECT_EQ(window.Percentile(0), 1);
}

TEST(LagWindow, KeepsOnlyTheMostRecentSamples) {
  LagWindow window(4);
  for (int64_t lag : {1000, 1000, 1000, 1000, 1, 2, 3, 4}) window.Add(lag);
  EXPECT_EQ(window.size(), 4u);
  EXPECT_EQ(window.Percentile(100), 4);
}

}  // namespace
}  // namespace market::kafka::internal
