// Units and ranges of the market (MATCHING.md, "Units: integers only").
//
// Every quantity is an integer: FTE in milli-FTE (1000 = one full-time
// equivalent), rates in minor currency units (cents) per hour, dates as a day
// number counted from 2000-01-01. No floating point anywhere in the engine.
#pragma once

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

// Parses exactly "YYYY-MM-DD" (a real calendar day in 2000-01-01..2199-12-31).
std::optional<Day> ParseDate(std::string_view text);

// Formats a day back to "YYYY-MM-DD"; FormatDate(*ParseDate(s)) == s.
std::string FormatDate(Day day);

}  // namespace market::matcher
