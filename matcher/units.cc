#include "matcher/units.h"

#include <algorithm>
#include <array>

namespace market::matcher {
namespace {

// Days from 1970-01-01 to 2000-01-01, the day FormatDate counts from.
constexpr int64_t kEpoch2000 = 10957;

// Days of each month in a common year, and before each month's first day.
constexpr std::array<uint8_t, 12> kDaysInMonth = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
constexpr std::array<uint16_t, 12> kDaysBeforeMonth = {0,   31,  59,  90,  120, 151,
                                                       181, 212, 243, 273, 304, 334};

// The digit at text[i] as 0..9, or a value above 9 for any other character.
unsigned DigitAt(std::string_view text, size_t i) {
  return static_cast<unsigned>(static_cast<unsigned char>(text[i])) - '0';
}

}  // namespace

// Every command carries dates, so this is on the engine's path: no loop, no
// division (within 2000..2199 a year is leap when a multiple of 4 other
// than 2100).
std::optional<Day> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const unsigned y0 = DigitAt(text, 0), y1 = DigitAt(text, 1), y2 = DigitAt(text, 2),
                 y3 = DigitAt(text, 3), m0 = DigitAt(text, 5), m1 = DigitAt(text, 6),
                 d0 = DigitAt(text, 8), d1 = DigitAt(text, 9);
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

std::string FormatDate(Day day) {
  // Howard Hinnant's civil_from_days, counted from 2000-01-01.
  const int64_t z = day + kEpoch2000 + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0);
  std::string out(10, '0');
  auto put = [&out](size_t pos, int64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) {
      out[pos + static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
  };
  put(0, y, 4);
  out[4] = '-';
  put(5, m, 2);
  out[7] = '-';
  put(8, d, 2);
  return out;
}

}  // namespace market::matcher
