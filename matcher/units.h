// Units and ranges of the market (MATCHING.md, "Units: integers only").
//
// Every quantity is an integer: FTE in milli-FTE (1000 = one full-time
// equivalent), rates in minor currency units (cents) per hour, dates as a day
// number counted from 2000-01-01. No floating point anywhere in the engine.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace market::matcher {

inline constexpr int64_t kMinFteMilli = 1;
inline constexpr int64_t kMaxFteMilli = 1'000'000;
inline constexpr int64_t kMinRate = 1;
inline constexpr int64_t kMaxRate = 100'000'000;
inline constexpr int64_t kMaxContractFteMilli = 1'000'000'000;
inline constexpr int32_t kMinSeniority = 1;
inline constexpr int32_t kMaxSeniority = 5;

inline constexpr size_t kMaxStringBytes = 128;
inline constexpr size_t kMaxTags = 32;
inline constexpr size_t kMaxLocations = 64;
inline constexpr size_t kMaxAllowlistedVendors = 64;
inline constexpr size_t kMaxEngagementModels = 64;
inline constexpr size_t kMaxRateCardEntriesPerCommand = 100'000;

// A calendar day, counted from 2000-01-01 (day 0) to 2199-12-31.
using Day = int32_t;

// Formats a day back to "YYYY-MM-DD"; FormatDate(*ParseDate(s)) == s.
std::string FormatDate(Day day);

// Parses exactly "YYYY-MM-DD" (a real calendar day in 2000-01-01..2199-12-31).
// Inline, with no loop and no division: every order carries dates, and GCC
// returns an optional from an outlined call through the stack, with a
// store-forwarding stall. Within 2000..2199 a year is leap when it is a
// multiple of 4 other than 2100.
inline std::optional<Day> ParseDate(std::string_view text) {
  static constexpr std::array<uint8_t, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30,
                                                           31, 31, 30, 31, 30, 31};
  static constexpr std::array<uint16_t, 12> kDaysBeforeMonth = {0,   31,  59,  90,  120, 151,
                                                                181, 212, 243, 273, 304, 334};
  // The digit at text[i] as 0..9, or a value above 9 for any other character.
  auto digit = [text](size_t i) {
    return static_cast<unsigned>(static_cast<unsigned char>(text[i])) - '0';
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const unsigned y0 = digit(0), y1 = digit(1), y2 = digit(2), y3 = digit(3), m0 = digit(5),
                 m1 = digit(6), d0 = digit(8), d1 = digit(9);
  if (std::max({y0, y1, y2, y3, m0, m1, d0, d1}) > 9) return std::nullopt;
  const unsigned y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const unsigned m = m0 * 10 + m1;
  const unsigned d = d0 * 10 + d1;
  if (y < 2000 || y > 2199 || m < 1 || m > 12 || d < 1) return std::nullopt;
  const unsigned years = y - 2000;
  const bool leap = years % 4 == 0 && years != 100;
  if (d > kDaysInMonth[m - 1] + (m == 2 && leap ? 1U : 0U)) return std::nullopt;
  // Leap days of the years before: the multiples of 4 below `years`, less 2100.
  const unsigned leap_days = (years + 3) / 4 - (years > 100 ? 1U : 0U);
  return static_cast<Day>(years * 365 + leap_days + kDaysBeforeMonth[m - 1] +
                          (m > 2 && leap ? 1U : 0U) + d - 1);
}

}  // namespace market::matcher
