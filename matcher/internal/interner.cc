#include "matcher/internal/interner.h"

#include "absl/strings/string_view.h"

namespace market::matcher::internal {

uint32_t Interner::FindLong(std::string_view s) const {
  auto it = long_ids_.find(absl::string_view(s.data(), s.size()));
  return it == long_ids_.end() ? kAbsent : it->second;
}

uint32_t Interner::Intern(std::string_view s) {
  if (const uint32_t id = Find(s); id != kAbsent) return id;
  const auto id = static_cast<uint32_t>(strings_.size());
  if (s.size() > kShortBytes) {
    strings_.emplace_back(s);
    long_ids_.emplace(strings_.back(), id);
    return id;
  }
  if (2 * (size() + 1) > slots_.size()) Grow();
  strings_.emplace_back(s);
  const Key k = KeyOf(s);
  size_t i = k.hash & mask_;
  while (slots_[i].id != kAbsent) i = (i + 1) & mask_;
  slots_[i] = Slot{k.w0, k.w1, static_cast<uint32_t>(s.size()), id};
  return id;
}

void Interner::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (uint32_t id = 0; id < strings_.size(); ++id) {
    const std::string& s = strings_[id];
    if (s.size() > kShortBytes) continue;
    const Key k = KeyOf(s);
    size_t i = k.hash & mask_;
    while (slots_[i].id != kAbsent) i = (i + 1) & mask_;
    slots_[i] = Slot{k.w0, k.w1, static_cast<uint32_t>(s.size()), id};
  }
}

}  // namespace market::matcher::internal
