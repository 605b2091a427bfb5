#include "matcher/units.h"

namespace market::matcher {
namespace {

// Days from 1970-01-01 to 2000-01-01, the day FormatDate counts from.
constexpr int64_t kEpoch2000 = 10957;

}  // namespace

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
