#include "matcher/units.h"

#include <gtest/gtest.h>

namespace market::matcher {
namespace {

TEST(Dates, FirstDayIsZero) { EXPECT_EQ(ParseDate("2000-01-01"), 0); }

TEST(Dates, RoundTripEveryDayOfTheRange) {
  const Day last = *ParseDate("2199-12-31");
  for (Day d = 0; d <= last; ++d) ASSERT_EQ(ParseDate(FormatDate(d)), d) << FormatDate(d);
}

TEST(Dates, LeapDaysFollowTheGregorianCalendar) {
  EXPECT_TRUE(ParseDate("2000-02-29"));
  EXPECT_TRUE(ParseDate("2024-02-29"));
  EXPECT_FALSE(ParseDate("2100-02-29"));
  EXPECT_FALSE(ParseDate("2026-02-29"));
}

TEST(Dates, RejectsAnythingButYyyyMmDdInRange) {
  for (const char* bad : {"", "2026-1-01", "2026/01/01", "1999-12-31", "2200-01-01", "2026-13-01",
                          "2026-04-31", "2026-00-10", "2026-01-00", "20260101", "2026-01-01T00",
                          " 2026-01-01", "2026-0a-01", "+026-01-01"}) {
    EXPECT_FALSE(ParseDate(bad)) << bad;
  }
}

}  // namespace
}  // namespace market::matcher
