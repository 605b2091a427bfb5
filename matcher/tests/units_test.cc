#include "matcher/units.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

namespace market::matcher {
namespace {

TEST(Dates, FirstDayIsZero) { EXPECT_EQ(ParseDate("2000-01-01"), 0); }

TEST(Dates, RoundTripEveryDayOfTheRange) {
  const std::optional<Day> last = ParseDate("2199-12-31");
  ASSERT_TRUE(last);
  for (Day d = 0; d <= *last; ++d) ASSERT_EQ(ParseDate(FormatDate(d)), d) << FormatDate(d);
}

TEST(Dates, AcceptsExactlyTheDaysOfTheRange) {
  std::set<std::string> days;
  for (Day d = 0; d <= 73048; ++d) days.insert(FormatDate(d));  // 2000-01-01..2199-12-31
  for (int y = 1999; y <= 2200; ++y) {
    for (int m = 0; m <= 13; ++m) {
      for (int d = 0; d <= 32; ++d) {
        char text[16];
        std::snprintf(text, sizeof text, "%04d-%02d-%02d", y, m, d);
        ASSERT_EQ(ParseDate(text).has_value(), days.count(text) == 1) << text;
      }
    }
  }
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
