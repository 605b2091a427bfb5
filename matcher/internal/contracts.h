// Contracts between a sponsor and a vendor, with their rate cards and the FTE
// assigned under each.
//
// Invariants: at most one contract per (sponsor, vendor) pair; a contract's
// sponsor and vendor never change; used_fte_milli only grows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "matcher/event.h"
#include "matcher/internal/reference_data.h"

namespace market::matcher::internal {

using ContractId = uint32_t;

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

struct Contract {
  std::string contract_id;
  ParticipantId sponsor = kNoId;
  ParticipantId vendor = kNoId;
  bool active = false;
  int64_t max_fte_milli = 0;  // 0 = no ceiling
  int64_t used_fte_milli = 0;
  absl::flat_hash_map<uint64_t, int64_t> card;  // RateKey -> max rate (cents/hour)

  // FTE still assignable under the ceiling; INT64_MAX when there is none.
  int64_t headroom_milli() const {
    if (max_fte_milli == 0) return INT64_MAX;
    return max_fte_milli > used_fte_milli ? max_fte_milli - used_fte_milli : 0;
  }
  // The card's cap for the key, or INT64_MAX when the card has no such entry.
  int64_t cap(uint64_t key) const {
    auto it = card.find(key);
    return it == card.end() ? INT64_MAX : it->second;
  }
};

// The card as rows in canonical (role, seniority, country) byte order.
std::vector<RateCardRow> SortedCard(const Contract& contract, const ReferenceData& ref);

class ContractRegistry {
 public:
  ContractId Find(std::string_view contract_id) const {
    auto it = by_id_.find(AsAbsl(contract_id));
    return it == by_id_.end() ? kNoId : it->second;
  }
  ContractId FindPair(ParticipantId sponsor, ParticipantId vendor) const {
    auto it = by_pair_.find(PairKey(sponsor, vendor));
    return it == by_pair_.end() ? kNoId : it->second;
  }
  // The (vendor, contract) pairs of a sponsor, for walks on its behalf.
  using VendorContracts = absl::InlinedVector<std::pair<ParticipantId, ContractId>, 8>;
  const VendorContracts& OfSponsor(ParticipantId sponsor) const {
    static const VendorContracts kNone;
    return sponsor < by_sponsor_.size() ? by_sponsor_[sponsor] : kNone;
  }
  // Creates a contract for a pair that has none; returns its id.
  ContractId Create(std::string_view contract_id, ParticipantId sponsor, ParticipantId vendor);
  Contract& get(ContractId id) { return contracts_[id]; }
  const Contract& get(ContractId id) const { return contracts_[id]; }
  size_t size() const { return contracts_.size(); }

 private:
  static uint64_t PairKey(ParticipantId s, ParticipantId v) {
    return (static_cast<uint64_t>(s) << 32) | v;
  }
  std::vector<Contract> contracts_;
  absl::flat_hash_map<std::string, ContractId> by_id_;
  absl::flat_hash_map<uint64_t, ContractId> by_pair_;
  std::vector<VendorContracts> by_sponsor_;
};

}  // namespace market::matcher::internal
