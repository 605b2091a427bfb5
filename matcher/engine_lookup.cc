// Engine lookups of one entity (engine.h) and the value builders they share
// with Engine::Snapshot (internal/state_values.h). Read-only: nothing here
// changes the engine.
#include <string>

#include "matcher/engine.h"
#include "matcher/internal/engine_state.h"
#include "matcher/internal/state_values.h"

namespace market::matcher {
namespace internal {

DefineRole RoleValue(const ReferenceData& ref, RoleId id) {
  return DefineRole{std::string(ref.role_code(id)), ref.role(id).name, ref.role(id).family};
}

DefineLocation LocationValue(const ReferenceData& ref, LocationId id) {
  const Location& l = ref.location(id);
  return DefineLocation{
      static_cast<int32_t>(l.kind), std::string(ref.location_code(id)),
      l.parent == kNoId ? std::string() : std::string(ref.location_code(l.parent))};
}

UpsertParticipant ParticipantValue(const ReferenceData& ref, ParticipantId id) {
  return UpsertParticipant{std::string(ref.participant_id(id)),
                           static_cast<int32_t>(ref.participant(id).kind),
                           ref.participant(id).name};
}

EngineSnapshot::Contract ContractValue(const ReferenceData& ref, const Contract& c) {
  EngineSnapshot::Contract out;
  out.contract = {c.contract_id,
                  std::string(ref.participant_id(c.sponsor)),
                  std::string(ref.participant_id(c.vendor)),
                  c.active,
                  c.max_fte_milli,
                  {}};
  const std::vector<RateCardRow> rows = SortedCard(c, ref);
  out.contract.rates.reserve(rows.size());
  for (const RateCardRow& row : rows) {
    out.contract.rates.push_back(
        {std::string(row.role), row.seniority, std::string(row.country), row.max_rate});
  }
  out.used_fte_milli = c.used_fte_milli;
  return out;
}

namespace {

// Writes `codes` over `out`, reusing its strings.
template <typename Ids, typename Code>
void AssignCodes(const Ids& ids, Code code, std::vector<std::string>* out) {
  out->resize(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) (*out)[i].assign(code(ids[i]));
}

}  // namespace

void FillOpenRequest(const ReferenceData& ref, uint64_t id, const RestingRequest& r,
                     EngineSnapshot::OpenRequest* out) {
  out->id = id;
  out->priority_sequence = r.priority;
  out->remaining_milli = r.remaining_milli;
  SubmitRequest& q = out->order;
  q.sponsor_id.assign(ref.participant_id(r.sponsor));
  q.client_ref.assign(r.client_ref);
  q.role.assign(ref.role_code(r.role));
  q.min_seniority = r.min_seniority;
  AssignCodes(
      r.locations, [&](LocationId l) { return ref.location_code(l); }, &q.locations);
  q.fte_milli = r.fte_milli;
  q.min_slice_milli = r.min_slice_milli;
  q.max_vendors = r.max_vendors;
  q.max_rate = r.max_rate;
  q.start_date = FormatDate(r.start_date);
  q.end_date = FormatDate(r.end_date);
  q.engagement_models.assign(r.engagement_models.begin(), r.engagement_models.end());
  AssignCodes(
      r.required_tags, [&](TagId t) { return ref.tag(t); }, &q.required_tags);
  AssignCodes(
      r.allowlist, [&](ParticipantId v) { return ref.participant_id(v); }, &q.vendor_allowlist);
  q.time_in_force = static_cast<int32_t>(TimeInForce::kGtc);  // only GTC orders rest
  q.all_or_none = false;                                      // the dry run is over once it rests
  AssignCodes(
      r.vendors_used, [&](ParticipantId v) { return ref.participant_id(v); }, &out->vendors_used);
}

void FillOpenOffer(const ReferenceData& ref, uint64_t id, const RestingOffer& f,
                   EngineSnapshot::OpenOffer* out) {
  out->id = id;
  out->priority_sequence = f.priority;
  out->remaining_milli = f.remaining_milli;
  PublishOffer& p = out->order;
  p.vendor_id.assign(ref.participant_id(f.vendor));
  p.client_ref.assign(f.client_ref);
  p.role.assign(ref.role_code(f.role));
  p.seniority = f.seniority;
  p.country.assign(ref.location_code(f.country));
  if (f.hub != kNoId) {
    p.hub.assign(ref.location_code(f.hub));
  } else {
    p.hub.clear();
  }
  p.fte_milli = f.fte_milli;
  p.min_slice_milli = f.min_slice_milli;
  p.rate = f.rate;
  p.available_from = FormatDate(f.available_from);
  if (f.available_until != kOpenEnded) {
    p.available_until = FormatDate(f.available_until);
  } else {
    p.available_until.clear();
  }
  p.engagement_model = static_cast<int32_t>(f.engagement_model);
  AssignCodes(
      f.tags, [&](TagId t) { return ref.tag(t); }, &p.tags);
  p.time_in_force = static_cast<int32_t>(TimeInForce::kGtc);
}

EngineSnapshot::OpenRequest OpenRequestValue(const ReferenceData& ref, uint64_t id,
                                             const RestingRequest& r) {
  EngineSnapshot::OpenRequest out;
  FillOpenRequest(ref, id, r, &out);
  return out;
}

EngineSnapshot::OpenOffer OpenOfferValue(const ReferenceData& ref, uint64_t id,
                                         const RestingOffer& f) {
  EngineSnapshot::OpenOffer out;
  FillOpenOffer(ref, id, f, &out);
  return out;
}

EngineSnapshot::ClosedOrder ClosedOrderValue(const ReferenceData& ref, uint64_t id,
                                             const OrderRef& order) {
  return EngineSnapshot::ClosedOrder{id, order.side, std::string(ref.participant_id(order.owner))};
}

}  // namespace internal

std::optional<DefineRole> Engine::FindRole(std::string_view code) const {
  const internal::RoleId id = state_->ref.FindRole(code);
  if (id == internal::kNoId) return std::nullopt;
  return internal::RoleValue(state_->ref, id);
}

std::optional<DefineLocation> Engine::FindLocation(std::string_view code) const {
  const internal::LocationId id = state_->ref.FindLocation(code);
  if (id == internal::kNoId) return std::nullopt;
  return internal::LocationValue(state_->ref, id);
}

std::optional<UpsertParticipant> Engine::FindParticipant(std::string_view id) const {
  const internal::ParticipantId pid = state_->ref.FindParticipant(id);
  if (pid == internal::kNoId) return std::nullopt;
  return internal::ParticipantValue(state_->ref, pid);
}

std::optional<EngineSnapshot::Contract> Engine::FindContract(std::string_view contract_id) const {
  const internal::ContractId id = state_->contracts.Find(contract_id);
  if (id == internal::kNoId) return std::nullopt;
  return internal::ContractValue(state_->ref, state_->contracts.get(id));
}

std::optional<int64_t> Engine::FindContractUsage(std::string_view contract_id) const {
  const internal::ContractId id = state_->contracts.Find(contract_id);
  if (id == internal::kNoId) return std::nullopt;
  return state_->contracts.get(id).used_fte_milli;
}

std::optional<EngineSnapshot::OpenRequest> Engine::FindOpenRequest(uint64_t id) const {
  const internal::OrderRef* order = state_->book.Find(id);
  if (order == nullptr || !order->open || order->side != Side::kRequest) return std::nullopt;
  return internal::OpenRequestValue(state_->ref, id, state_->book.request(order->slot));
}

std::optional<EngineSnapshot::OpenOffer> Engine::FindOpenOffer(uint64_t id) const {
  const internal::OrderRef* order = state_->book.Find(id);
  if (order == nullptr || !order->open || order->side != Side::kOffer) return std::nullopt;
  return internal::OpenOfferValue(state_->ref, id, state_->book.offer(order->slot));
}

bool Engine::FindOpenRequest(uint64_t id, EngineSnapshot::OpenRequest* out) const {
  const internal::OrderRef* order = state_->book.Find(id);
  if (order == nullptr || !order->open || order->side != Side::kRequest) return false;
  internal::FillOpenRequest(state_->ref, id, state_->book.request(order->slot), out);
  return true;
}

bool Engine::FindOpenOffer(uint64_t id, EngineSnapshot::OpenOffer* out) const {
  const internal::OrderRef* order = state_->book.Find(id);
  if (order == nullptr || !order->open || order->side != Side::kOffer) return false;
  internal::FillOpenOffer(state_->ref, id, state_->book.offer(order->slot), out);
  return true;
}

std::optional<EngineSnapshot::ClosedOrder> Engine::FindClosedOrder(uint64_t id) const {
  const internal::OrderRef* order = state_->book.Find(id);
  if (order == nullptr || order->open) return std::nullopt;
  return internal::ClosedOrderValue(state_->ref, id, *order);
}

std::optional<uint64_t> Engine::FindClientRef(std::string_view participant,
                                              std::string_view client_ref) const {
  const internal::ParticipantId who = state_->ref.FindParticipant(participant);
  if (who == internal::kNoId) return std::nullopt;
  const uint64_t first = state_->client_refs.Find(who, client_ref);
  if (first == 0) return std::nullopt;
  return first;
}

}  // namespace market::matcher
