#include "matcher/internal/cap_index.h"

#include <algorithm>
#include <utility>

namespace market::matcher::internal {
namespace {

constexpr size_t kMinSlots = 64;

}  // namespace

void CapIndex::Rehash(size_t slots) {
  std::vector<Slot> old = std::exchange(slots_, std::vector<Slot>(slots));
  for (const Slot& s : old) {
    if (s.contract != kEmpty) slots_[Find(s.contract, s.role, s.country)] = s;
  }
}

void CapIndex::Set(uint32_t contract, uint32_t role, int32_t seniority, uint32_t country,
                   int32_t cap) {
  const auto level = static_cast<uint32_t>(seniority - 1);
  if (level >= kLevels) return;
  if ((used_ + 1) * 4 > slots_.size() * 3) Rehash(std::max(kMinSlots, slots_.size() * 2));
  Slot& s = slots_[Find(contract, role, country)];
  if (s.contract == kEmpty) {
    s.contract = contract;
    s.role = role;
    s.country = country;
    ++used_;
  }
  s.caps[level] = cap;
}

void CapIndex::Erase(uint32_t contract, uint32_t role, uint32_t country) {
  if (slots_.empty()) return;
  size_t hole = Find(contract, role, country);
  if (slots_[hole].contract == kEmpty) return;
  --used_;
  // Backward-shift deletion: move later slots of the run into the hole when
  // their home does not lie (cyclically) after it, so no probe ever meets a
  // gap before its key.
  const size_t mask = slots_.size() - 1;
  for (size_t i = (hole + 1) & mask; slots_[i].contract != kEmpty; i = (i + 1) & mask) {
    const size_t home = Home(slots_[i].contract, slots_[i].role, slots_[i].country);
    if (((i - home) & mask) >= ((i - hole) & mask)) {
      slots_[hole] = slots_[i];
      hole = i;
    }
  }
  slots_[hole] = Slot{};
}

}  // namespace market::matcher::internal
