// A contract's rate card as stored: the max rate (cents per hour) per
// (role, seniority, country). This is the card snapshots, digests and events
// see; the walk reads caps from the registry's CapIndex, which
// ContractRegistry::EditCard keeps equal to it.
#pragma once

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "matcher/internal/reference_data.h"
#include "matcher/units.h"

static_assert(market::matcher::kMinRate > 0 && market::matcher::kMaxRate <= INT32_MAX,
              "caps are held as 4-byte cells, 0 meaning none");

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

  const Entries& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }

 private:
  friend class ContractRegistry;  // edits it together with its CapIndex
  Entries entries_;
};

}  // namespace market::matcher::internal
