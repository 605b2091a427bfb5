#include "matcher/internal/contracts.h"

#include <algorithm>

namespace market::matcher::internal {

std::vector<RateCardRow> SortedCard(const Contract& contract, const ReferenceData& ref) {
  std::vector<RateCardRow> rows;
  rows.reserve(contract.card.size());
  for (const auto& [key, rate] : contract.card.entries()) {
    rows.push_back(RateCardRow{ref.role_code(RateKeyRole(key)), RateKeySeniority(key),
                               ref.location_code(RateKeyCountry(key)), rate});
  }
  std::sort(rows.begin(), rows.end(), [](const RateCardRow& a, const RateCardRow& b) {
    if (a.role != b.role) return a.role < b.role;
    if (a.seniority != b.seniority) return a.seniority < b.seniority;
    return a.country < b.country;
  });
  return rows;
}

ContractId ContractRegistry::Create(std::string_view contract_id, ParticipantId sponsor,
                                    ParticipantId vendor) {
  const auto id = static_cast<ContractId>(contracts_.size());
  contracts_.emplace_back();
  contracts_.back().contract_id = std::string(contract_id);
  contracts_.back().sponsor = sponsor;
  contracts_.back().vendor = vendor;
  by_id_.emplace(std::string(contract_id), id);
  by_pair_.emplace(PairKey(sponsor, vendor), id);
  if (by_sponsor_.size() <= sponsor) by_sponsor_.resize(sponsor + 1);
  by_sponsor_[sponsor].emplace_back(vendor, id);
  if (sponsors_of_vendor_.size() <= vendor) sponsors_of_vendor_.resize(vendor + 1);
  std::vector<uint64_t>& bits = sponsors_of_vendor_[vendor];
  if (bits.size() <= sponsor / 64) bits.resize(sponsor / 64 + 1);
  bits[sponsor / 64] |= uint64_t{1} << (sponsor % 64);
  if (contract_of_vendor_.size() <= vendor) contract_of_vendor_.resize(vendor + 1);
  std::vector<ContractId>& of_vendor = contract_of_vendor_[vendor];
  if (of_vendor.size() <= sponsor) of_vendor.resize(sponsor + 1, kNoId);
  of_vendor[sponsor] = id;
  return id;
}

}  // namespace market::matcher::internal
