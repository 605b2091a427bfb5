// A contract's rate card: the max rate (cents per hour) per (role, seniority,
// country), looked up once per candidate a walk is about to fill.
//
// The entries map is the card itself (what snapshots, digests and events
// see). Beside it a dense cap table mirrors it for the walk: rows are the
// card's distinct roles, columns its distinct countries, five cells a pair,
// 4 bytes a cell. A 1,500-entry card then takes about 6 KB instead of a
// 34 KB hash table, so the caps of every contract stay small enough to be
// found in cache. A sparse card (few entries spread over many roles and
// countries) keeps the map lookup instead of a table mostly empty.
//
// Invariant: outside Edit, Cap(role, s, country) equals the map's entry for
// RateKey(role, s, country), or INT64_MAX when there is none.
#pragma once

#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "matcher/internal/reference_data.h"
#include "matcher/units.h"

namespace market::matcher::internal {

// (role, seniority, country) packed into one 64-bit key.
inline uint64_t RateKey(RoleId role, int32_t seniority, LocationId country) {
  return (static_cast<uint64_t>(role) << 32) | (static_cast<uint64_t>(country) << 3) |
         static_cast<uint64_t>(seniority);
}
inline RoleId RateKeyRole(uint64_t key) { return static_cast<RoleId>(key >> 32); }
inline LocationId RateKeyCountry(uint64_t key) {
  return static_cast<LocationId>((key & 0xffffffffULL) >> 3);
}
inline int32_t RateKeySeniority(uint64_t key) { return static_cast<int32_t>(key & 7); }

class RateCard {
 public:
  using Entries = absl::flat_hash_map<uint64_t, int64_t>;  // RateKey -> max rate

  // The cap for the key, or INT64_MAX when the card has no such entry.
  int64_t Cap(RoleId role, int32_t seniority, LocationId country) const {
    if (!dense_) {
      auto it = entries_.find(RateKey(role, seniority, country));
      return it == entries_.end() ? INT64_MAX : it->second;
    }
    if (role >= row_of_.size() || country >= column_of_.size()) return INT64_MAX;
    const uint32_t row = row_of_[role];
    const uint32_t column = column_of_[country];
    if (row == kNone || column == kNone) return INT64_MAX;
    const auto level = static_cast<uint32_t>(seniority - kMinSeniority);
    if (level >= kLevels) return INT64_MAX;
    const int32_t cap = caps_[(row * columns_ + column) * kLevels + level];
    return cap == kAbsent ? INT64_MAX : cap;
  }

  const Entries& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

  // Changes the entries through `edit(Entries&)`, then rebuilds the table.
  template <typename F>
  void Edit(F&& edit) {
    edit(entries_);
    Reindex();
  }

 private:
  static constexpr uint16_t kNone = UINT16_MAX;
  static constexpr uint32_t kLevels = kMaxSeniority - kMinSeniority + 1;
  static constexpr int32_t kAbsent = 0;  // rates are at least kMinRate = 1
  static_assert(kMinRate > 0 && kMaxRate <= INT32_MAX);

  void Reindex();

  Entries entries_;
  bool dense_ = false;
  uint32_t columns_ = 0;
  std::vector<uint16_t> row_of_;     // RoleId -> row, or kNone
  std::vector<uint16_t> column_of_;  // country LocationId -> column, or kNone
  std::vector<int32_t> caps_;        // [(row * columns_ + column) * 5 + seniority - 1]
};

}  // namespace market::matcher::internal
