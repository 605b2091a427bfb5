// Every contract's card caps in one table, the one the walk reads: a 32-byte
// slot per (contract, role, country) holding the caps of its five
// seniorities, placed by open addressing (linear probing) from a hash of the
// three ids. A slot's place depends on the ids alone, so a walk can start
// loading a candidate's cap as soon as it meets the candidate, together with
// its record; a lookup then reads one line, two at worst.
//
// Invariants: at most one slot per (contract, role, country); a slot holds
// at least one cap; the table is at most three-quarters full. Caps are
// cents per hour in 1..INT32_MAX; 0 in a cell means "no entry".
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "matcher/internal/cache_hint.h"

namespace market::matcher::internal {

class CapIndex {
 public:
  static constexpr int32_t kLevels = 5;  // seniorities 1..5

  // The cap of (contract, role, seniority, country), or INT64_MAX when there
  // is none.
  int64_t Cap(uint32_t contract, uint32_t role, int32_t seniority, uint32_t country) const {
    const auto level = static_cast<uint32_t>(seniority - 1);
    if (level >= kLevels || slots_.empty()) return INT64_MAX;
    const Slot& s = slots_[Find(contract, role, country)];
    if (s.contract == kEmpty || s.caps[level] == 0) return INT64_MAX;
    return s.caps[level];
  }
  // Starts loading where the slot of (contract, role, country) is found (a
  // hint): its home and the next slot, where most probes end.
  void Prefetch(uint32_t contract, uint32_t role, uint32_t country) const {
    if (slots_.empty()) return;
    const size_t home = Home(contract, role, country);
    LoadHint(&slots_[home]);
    LoadHint(&slots_[(home + 1) & (slots_.size() - 1)]);
  }

  // Sets one cap (cap in 1..INT32_MAX); a seniority outside 1..5 is ignored
  // (no offer can have one).
  void Set(uint32_t contract, uint32_t role, int32_t seniority, uint32_t country, int32_t cap);
  // Removes every cap of (contract, role, country).
  void Erase(uint32_t contract, uint32_t role, uint32_t country);
  // Slots in use: distinct (contract, role, country) with a cap.
  size_t size() const { return used_; }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;  // no contract has this id
  struct alignas(32) Slot {
    uint32_t contract = kEmpty;
    uint32_t role = 0;
    uint32_t country = 0;
    int32_t caps[kLevels] = {};
  };
  static_assert(sizeof(Slot) == 32);

  size_t Home(uint32_t contract, uint32_t role, uint32_t country) const {
    uint64_t x = (uint64_t{contract} << 32 | role) * 0x9e3779b97f4a7c15ULL;
    x ^= (x >> 29) ^ (uint64_t{country} * 0xbf58476d1ce4e5b9ULL);
    x *= 0x94d049bb133111ebULL;
    return static_cast<size_t>((x ^ (x >> 31)) & (slots_.size() - 1));
  }
  // The slot holding the key, or the empty slot where it would go.
  size_t Find(uint32_t contract, uint32_t role, uint32_t country) const {
    const size_t mask = slots_.size() - 1;
    for (size_t i = Home(contract, role, country);; i = (i + 1) & mask) {
      const Slot& s = slots_[i];
      if (s.contract == kEmpty ||
          (s.contract == contract && s.role == role && s.country == country)) {
        return i;
      }
    }
  }
  void Rehash(size_t slots);

  std::vector<Slot> slots_;  // power-of-two size, or empty
  size_t used_ = 0;
};

}  // namespace market::matcher::internal
