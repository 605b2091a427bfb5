// Contracts between a sponsor and a vendor, with their rate cards and the FTE
// assigned under each.
//
// Invariants: at most one contract per (sponsor, vendor) pair; a contract's
// sponsor and vendor never change; used_fte_milli only grows; the CapIndex
// holds exactly the entries of every contract's card.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "matcher/event.h"
#include "matcher/internal/cap_index.h"
#include "matcher/internal/rate_card.h"
#include "matcher/internal/reference_data.h"

namespace market::matcher::internal {

using ContractId = uint32_t;

struct Contract {
  std::string contract_id;
  ParticipantId sponsor = kNoId;
  ParticipantId vendor = kNoId;
  bool active = false;
  int64_t max_fte_milli = 0;  // 0 = no ceiling
  int64_t used_fte_milli = 0;
  RateCard card;

  // FTE still assignable under the ceiling; INT64_MAX when there is none.
  int64_t headroom_milli() const {
    if (max_fte_milli == 0) return INT64_MAX;
    return max_fte_milli > used_fte_milli ? max_fte_milli - used_fte_milli : 0;
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
  // The sponsors a vendor has a contract with, one bit each (bit s % 64 of
  // word s / 64; sponsors past the end have none), for a walk on the
  // vendor's behalf to test without a call.
  std::span<const uint64_t> SponsorsOf(ParticipantId vendor) const {
    if (vendor >= sponsors_of_vendor_.size()) return {};
    return sponsors_of_vendor_[vendor];
  }
  // The vendor's contract with each sponsor, indexed by sponsor (kNoId for
  // none; sponsors past the end have none), for a walk on the vendor's behalf
  // to find a candidate's contract by one read.
  std::span<const ContractId> ContractsOfVendor(ParticipantId vendor) const {
    if (vendor >= contract_of_vendor_.size()) return {};
    return contract_of_vendor_[vendor];
  }
  // The (vendor, contract) pairs of a sponsor, for walks on its behalf.
  using VendorContracts = absl::InlinedVector<std::pair<ParticipantId, ContractId>, 8>;
  const VendorContracts& OfSponsor(ParticipantId sponsor) const {
    static const VendorContracts kNone;
    return sponsor < by_sponsor_.size() ? by_sponsor_[sponsor] : kNone;
  }
  // Creates a contract for a pair that has none; returns its id.
  ContractId Create(std::string_view contract_id, ParticipantId sponsor, ParticipantId vendor);
  // Changes the contract's card through `edit(RateCard::Entries&)` and
  // brings the cap index in line with it.
  template <typename F>
  void EditCard(ContractId id, F&& edit) {
    RateCard::Entries& card = contracts_[id].card.entries_;
    for (const auto& [key, rate] : card) caps_.Erase(id, RateKeyRole(key), RateKeyCountry(key));
    edit(card);
    for (const auto& [key, rate] : card) {
      caps_.Set(id, RateKeyRole(key), RateKeySeniority(key), RateKeyCountry(key),
                static_cast<int32_t>(rate));
    }
  }
  // The card's cap for (role, seniority, country), or INT64_MAX when the
  // card has no such entry.
  int64_t Cap(ContractId id, RoleId role, int32_t seniority, LocationId country) const {
    return caps_.Cap(id, role, seniority, country);
  }
  // Starts loading the contract and its caps for (role, country) (a hint).
  void Prefetch(ContractId id, RoleId role, LocationId country) const {
    LoadHint(&contracts_[id]);
    caps_.Prefetch(id, role, country);
  }
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
  std::vector<std::vector<uint64_t>> sponsors_of_vendor_;    // [vendor]: bit per sponsor
  std::vector<std::vector<ContractId>> contract_of_vendor_;  // [vendor][sponsor]
  CapIndex caps_;
};

}  // namespace market::matcher::internal
