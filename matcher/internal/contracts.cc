#include "matcher/internal/contracts.h"

namespace market::matcher::internal {

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
  return id;
}

}  // namespace market::matcher::internal
