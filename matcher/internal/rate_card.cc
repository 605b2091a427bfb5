#include "matcher/internal/rate_card.h"

#include <algorithm>

namespace market::matcher::internal {
namespace {

// A dense table larger than this many cells per entry (plus a little slack
// for tiny cards) is mostly empty: the card keeps the map lookup instead.
constexpr size_t kMaxCellsPerEntry = 4;
constexpr size_t kSlackCells = 256;

}  // namespace

void RateCard::Reindex() {
  row_of_.clear();
  column_of_.clear();
  caps_.clear();
  columns_ = 0;
  dense_ = false;
  if (entries_.empty()) return;

  RoleId max_role = 0;
  LocationId max_country = 0;
  for (const auto& [key, rate] : entries_) {
    const int32_t seniority = RateKeySeniority(key);
    if (seniority < kMinSeniority || seniority > kMaxSeniority) return;  // keep the map
    max_role = std::max(max_role, RateKeyRole(key));
    max_country = std::max(max_country, RateKeyCountry(key));
  }
  std::vector<uint16_t> row_of(static_cast<size_t>(max_role) + 1, kNone);
  std::vector<uint16_t> column_of(static_cast<size_t>(max_country) + 1, kNone);
  uint32_t rows = 0;
  uint32_t columns = 0;
  for (const auto& [key, rate] : entries_) {
    uint16_t& row = row_of[RateKeyRole(key)];
    uint16_t& column = column_of[RateKeyCountry(key)];
    if (row == kNone) {
      if (rows == kNone) return;  // too many to number: keep the map
      row = static_cast<uint16_t>(rows++);
    }
    if (column == kNone) {
      if (columns == kNone) return;
      column = static_cast<uint16_t>(columns++);
    }
  }
  const size_t cells = size_t{rows} * columns * kLevels;
  if (cells > entries_.size() * kMaxCellsPerEntry + kSlackCells) return;

  caps_.assign(cells, kAbsent);
  for (const auto& [key, rate] : entries_) {
    const uint32_t row = row_of[RateKeyRole(key)];
    const uint32_t column = column_of[RateKeyCountry(key)];
    const auto level = static_cast<uint32_t>(RateKeySeniority(key) - kMinSeniority);
    caps_[(row * columns + column) * kLevels + level] = static_cast<int32_t>(rate);
  }
  row_of_ = std::move(row_of);
  column_of_ = std::move(column_of);
  columns_ = columns;
  dense_ = true;
}

}  // namespace market::matcher::internal
