// EventProjector: each handler checks its event against the state so far and
// only then changes anything, so a failed Apply leaves the projector as it was.
#include "codec/event_projector.h"

#include <algorithm>
#include <cstdint>
#include <set>

#include "absl/strings/str_cat.h"
#include "matcher/order_id.h"

namespace market::codec {
namespace {

namespace pb = marketplace::v1;
namespace m = market::matcher;

using matcher::ParseOrderId;

const char* BodyName(const pb::Event& e) {
  switch (e.body_case()) {
    case pb::Event::kRequestAccepted:
      return "request_accepted";
    case pb::Event::kOfferAccepted:
      return "offer_accepted";
    case pb::Event::kAssignmentCreated:
      return "assignment_created";
    case pb::Event::kRequestClosed:
      return "request_closed";
    case pb::Event::kOfferClosed:
      return "offer_closed";
    case pb::Event::kRequestAmended:
      return "request_amended";
    case pb::Event::kOfferAmended:
      return "offer_amended";
    case pb::Event::kCommandRejected:
      return "command_rejected";
    case pb::Event::kRoleDefined:
      return "role_defined";
    case pb::Event::kLocationDefined:
      return "location_defined";
    case pb::Event::kParticipantUpserted:
      return "participant_upserted";
    case pb::Event::kContractUpserted:
      return "contract_upserted";
    case pb::Event::kRateCardPatched:
      return "rate_card_patched";
    case pb::Event::BODY_NOT_SET:
      break;
  }
  return "no body";
}

// "event 12/3 (assignment_created): " + the parts.
template <typename... Parts>
std::string Describe(const pb::Event& e, const Parts&... parts) {
  return absl::StrCat("event ", e.sequence(), "/", e.index(), " (", BodyName(e), "): ", parts...);
}
template <typename... Parts>
absl::Status Precondition(const pb::Event& e, const Parts&... parts) {
  return absl::FailedPreconditionError(Describe(e, parts...));
}
template <typename... Parts>
absl::Status Invalid(const pb::Event& e, const Parts&... parts) {
  return absl::InvalidArgumentError(Describe(e, parts...));
}

std::string SideName(m::Side side) { return side == m::Side::kRequest ? "request" : "offer"; }

// Appends `value` unless it is there already (the engine keeps a request's
// locations, allowlist and vendors used without repeats, in first-seen order).
void AddOnce(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

EventProjector::EventProjector(const m::EngineSnapshot& base) : last_sequence_(base.last_sequence) {
  for (const m::DefineRole& r : base.roles) roles_[r.code] = r;
  for (const m::DefineLocation& l : base.locations) locations_[l.code] = l;
  for (const m::UpsertParticipant& p : base.participants) participants_[p.id] = p;
  for (const m::EngineSnapshot::Contract& c : base.contracts) {
    Contract& k = contracts_[c.contract.contract_id];
    k.fields = c.contract;
    k.fields.rates.clear();
    for (const m::RateCardEntry& e : c.contract.rates) {
      k.card[CardKey(e.role, e.seniority, e.country)] = e.max_rate;
    }
    k.used_fte_milli = c.used_fte_milli;
  }
  for (const m::EngineSnapshot::OpenRequest& r : base.requests) {
    orders_[r.id] = Order{m::Side::kRequest, r.order.sponsor_id, true};
    requests_[r.id] = r;
  }
  for (const m::EngineSnapshot::OpenOffer& o : base.offers) {
    orders_[o.id] = Order{m::Side::kOffer, o.order.vendor_id, true};
    offers_[o.id] = o;
  }
  for (const m::EngineSnapshot::ClosedOrder& c : base.closed) {
    orders_[c.id] = Order{c.side, c.owner, false};
  }
  for (const m::EngineSnapshot::ClientRef& c : base.client_refs) {
    client_refs_[{c.participant, c.client_ref}] = c.sequence;
  }
}

absl::Status EventProjector::Apply(const pb::Event& event) {
  if (absl::Status s = CheckPosition(event); !s.ok()) return s;
  if (absl::Status s = ApplyBody(event); !s.ok()) return s;
  if (event.sequence() != current_sequence_) {
    current_sequence_ = event.sequence();
    current_rejected_ = false;
  }
  last_sequence_ = event.sequence();
  next_index_ = event.index() + 1;
  if (event.has_command_rejected()) current_rejected_ = true;
  return absl::OkStatus();
}

absl::Status EventProjector::SetLastSequence(uint64_t sequence) {
  if (sequence < last_sequence_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "last sequence ", sequence, " is before the last sequence seen, ", last_sequence_));
  }
  last_sequence_ = sequence;
  current_sequence_ = 0;  // the last command is complete: no more events of it
  return absl::OkStatus();
}

absl::Status EventProjector::CheckPosition(const pb::Event& e) const {
  if (e.sequence() == 0) return Invalid(e, "sequence 0 is not a command's sequence");
  if (current_sequence_ != 0 && e.sequence() == current_sequence_) {
    if (e.index() != next_index_) {
      return Precondition(e, "out of order: expected index ", next_index_, " of sequence ",
                          current_sequence_);
    }
    if (current_rejected_) {
      return Invalid(e,
                     "follows the command_rejected of its command, which must be its only event");
    }
    return absl::OkStatus();
  }
  if (e.sequence() <= last_sequence_) {
    return Precondition(e, "out of order: sequence ", e.sequence(),
                        " is not after the last sequence accounted for, ", last_sequence_);
  }
  if (e.index() != 0) {
    return Precondition(e, "out of order: the first event of sequence ", e.sequence(),
                        " must have index 0");
  }
  return absl::OkStatus();
}

absl::Status EventProjector::ApplyBody(const pb::Event& e) {
  switch (e.body_case()) {
    case pb::Event::kRequestAccepted:
      return OnRequestAccepted(e);
    case pb::Event::kOfferAccepted:
      return OnOfferAccepted(e);
    case pb::Event::kAssignmentCreated:
      return OnAssignmentCreated(e);
    case pb::Event::kRequestClosed:
      return OnClosed(e, m::Side::kRequest);
    case pb::Event::kOfferClosed:
      return OnClosed(e, m::Side::kOffer);
    case pb::Event::kRequestAmended:
      return OnRequestAmended(e);
    case pb::Event::kOfferAmended:
      return OnOfferAmended(e);
    case pb::Event::kCommandRejected:
      // Changes nothing but the sequence; always the command's only event.
      if (e.index() != 0) return Invalid(e, "a command_rejected must be its command's only event");
      return absl::OkStatus();
    case pb::Event::kRoleDefined: {
      const pb::RoleDefined& r = e.role_defined();
      if (r.code().empty()) return Invalid(e, "code is empty");
      roles_[r.code()] = m::DefineRole{r.code(), r.name(), r.family()};
      return absl::OkStatus();
    }
    case pb::Event::kLocationDefined:
      return OnLocationDefined(e);
    case pb::Event::kParticipantUpserted:
      return OnParticipantUpserted(e);
    case pb::Event::kContractUpserted:
      return OnContractUpserted(e);
    case pb::Event::kRateCardPatched:
      return OnRateCardPatched(e);
    case pb::Event::BODY_NOT_SET:
      break;
  }
  return Invalid(e, "the event has no body");
}

// ---- Shared checks.

absl::Status EventProjector::RequireParticipant(const pb::Event& e, const std::string& id,
                                                m::ParticipantKind kind, const char* what) const {
  auto it = participants_.find(id);
  if (it == participants_.end() || it->second.kind != static_cast<int32_t>(kind)) {
    return Precondition(e, what, " '", id, "' is not a known ",
                        kind == m::ParticipantKind::kSponsor ? "sponsor" : "vendor");
  }
  return absl::OkStatus();
}

absl::Status EventProjector::RequireRole(const pb::Event& e, const std::string& code) const {
  if (!roles_.contains(code)) return Precondition(e, "unknown role '", code, "'");
  return absl::OkStatus();
}

absl::Status EventProjector::RequireLocation(const pb::Event& e, const std::string& code,
                                             m::LocationKind kind, const char* what) const {
  auto it = locations_.find(code);
  if (it == locations_.end()) return Precondition(e, what, " names unknown location '", code, "'");
  if (kind != m::LocationKind::kUnspecified && it->second.kind != static_cast<int32_t>(kind)) {
    return Precondition(e, what, " '", code, "' is a location of another kind");
  }
  return absl::OkStatus();
}

absl::Status EventProjector::RequireUnusedClientRef(const pb::Event& e, const std::string& owner,
                                                    const std::string& client_ref) const {
  auto it = client_refs_.find({owner, client_ref});
  if (it != client_refs_.end()) {
    return Precondition(e, "client_ref '", client_ref, "' of ", owner,
                        " was already used by sequence ", it->second,
                        " (the engine emits nothing for a duplicate)");
  }
  return absl::OkStatus();
}

absl::Status EventProjector::RequireOpenOrder(const pb::Event& e, const std::string& id,
                                              m::Side side, uint64_t* sequence) const {
  *sequence = ParseOrderId(id, side == m::Side::kRequest ? 'R' : 'O');
  if (*sequence == 0) return Invalid(e, "'", id, "' is not a ", SideName(side), " id");
  auto it = orders_.find(*sequence);
  if (it == orders_.end() || it->second.side != side) {
    return Precondition(e, "unknown ", SideName(side), " ", id);
  }
  if (!it->second.open) return Precondition(e, SideName(side), " ", id, " is already closed");
  return absl::OkStatus();
}

// ---- Orders.

absl::Status EventProjector::OnRequestAccepted(const pb::Event& e) {
  const pb::RequestAccepted& a = e.request_accepted();
  const pb::Request& r = a.request();
  if (ParseOrderId(a.request_id(), 'R') != e.sequence()) {
    return Invalid(e, "request_id '", a.request_id(), "' is not R", e.sequence());
  }
  if (orders_.contains(e.sequence())) return Precondition(e, "order ", e.sequence(), " exists");
  if (auto s = RequireParticipant(e, r.sponsor_id(), m::ParticipantKind::kSponsor, "sponsor_id");
      !s.ok())
    return s;
  if (auto s = RequireRole(e, r.role()); !s.ok()) return s;
  for (const std::string& loc : r.locations()) {
    if (auto s = RequireLocation(e, loc, m::LocationKind::kUnspecified, "locations"); !s.ok())
      return s;
  }
  for (const std::string& v : r.vendor_allowlist()) {
    if (auto s = RequireParticipant(e, v, m::ParticipantKind::kVendor, "vendor_allowlist"); !s.ok())
      return s;
  }
  if (auto s = RequireUnusedClientRef(e, r.sponsor_id(), r.client_ref()); !s.ok()) return s;

  m::EngineSnapshot::OpenRequest open;
  open.id = e.sequence();
  open.priority_sequence = e.sequence();
  open.remaining_milli = r.fte_milli();
  m::SubmitRequest& q = open.order;
  q.sponsor_id = r.sponsor_id();
  q.client_ref = r.client_ref();
  q.role = r.role();
  q.min_seniority = r.min_seniority();
  for (const std::string& loc : r.locations()) AddOnce(q.locations, loc);
  q.fte_milli = r.fte_milli();
  q.min_slice_milli = r.min_slice_milli();
  q.max_vendors = r.max_vendors();
  q.max_rate = r.max_rate();
  q.start_date = r.start_date();
  q.end_date = r.end_date();
  q.engagement_models.assign(r.engagement_models().begin(), r.engagement_models().end());
  q.required_tags.assign(r.required_tags().begin(), r.required_tags().end());
  for (const std::string& v : r.vendor_allowlist()) AddOnce(q.vendor_allowlist, v);
  // Only GTC orders rest: an IOC one closes within its command.
  q.time_in_force = static_cast<int32_t>(m::TimeInForce::kGtc);

  orders_[open.id] = Order{m::Side::kRequest, r.sponsor_id(), true};
  client_refs_[{r.sponsor_id(), r.client_ref()}] = e.sequence();
  requests_[open.id] = std::move(open);
  return absl::OkStatus();
}

absl::Status EventProjector::OnOfferAccepted(const pb::Event& e) {
  const pb::OfferAccepted& a = e.offer_accepted();
  const pb::Offer& o = a.offer();
  if (ParseOrderId(a.offer_id(), 'O') != e.sequence()) {
    return Invalid(e, "offer_id '", a.offer_id(), "' is not O", e.sequence());
  }
  if (orders_.contains(e.sequence())) return Precondition(e, "order ", e.sequence(), " exists");
  if (auto s = RequireParticipant(e, o.vendor_id(), m::ParticipantKind::kVendor, "vendor_id");
      !s.ok())
    return s;
  if (auto s = RequireRole(e, o.role()); !s.ok()) return s;
  if (auto s = RequireLocation(e, o.country(), m::LocationKind::kCountry, "country"); !s.ok())
    return s;
  if (!o.hub().empty()) {
    if (auto s = RequireLocation(e, o.hub(), m::LocationKind::kHub, "hub"); !s.ok()) return s;
  }
  if (auto s = RequireUnusedClientRef(e, o.vendor_id(), o.client_ref()); !s.ok()) return s;

  m::EngineSnapshot::OpenOffer open;
  open.id = e.sequence();
  open.priority_sequence = e.sequence();
  open.remaining_milli = o.fte_milli();
  m::PublishOffer& p = open.order;
  p.vendor_id = o.vendor_id();
  p.client_ref = o.client_ref();
  p.role = o.role();
  p.seniority = o.seniority();
  p.country = o.country();
  p.hub = o.hub();
  p.fte_milli = o.fte_milli();
  p.min_slice_milli = o.min_slice_milli();
  p.rate = o.rate();
  p.available_from = o.available_from();
  p.available_until = o.available_until();
  p.engagement_model = o.engagement_model();
  p.tags.assign(o.tags().begin(), o.tags().end());
  p.time_in_force = static_cast<int32_t>(m::TimeInForce::kGtc);

  orders_[open.id] = Order{m::Side::kOffer, o.vendor_id(), true};
  client_refs_[{o.vendor_id(), o.client_ref()}] = e.sequence();
  offers_[open.id] = std::move(open);
  return absl::OkStatus();
}

absl::Status EventProjector::OnAssignmentCreated(const pb::Event& e) {
  const pb::AssignmentCreated& a = e.assignment_created();
  const std::string want_id = absl::StrCat("A", e.sequence(), "-", e.index());
  if (a.assignment_id() != want_id) {
    return Invalid(e, "assignment_id '", a.assignment_id(), "' is not ", want_id);
  }
  uint64_t request_id = 0;
  uint64_t offer_id = 0;
  if (auto s = RequireOpenOrder(e, a.request_id(), m::Side::kRequest, &request_id); !s.ok())
    return s;
  if (auto s = RequireOpenOrder(e, a.offer_id(), m::Side::kOffer, &offer_id); !s.ok()) return s;
  auto contract = contracts_.find(a.contract_id());
  if (contract == contracts_.end()) {
    return Precondition(e, "unknown contract '", a.contract_id(), "'");
  }
  m::EngineSnapshot::OpenRequest& r = requests_.at(request_id);
  m::EngineSnapshot::OpenOffer& o = offers_.at(offer_id);
  const m::UpsertContract& k = contract->second.fields;
  if (a.sponsor_id() != r.order.sponsor_id || a.vendor_id() != o.order.vendor_id ||
      k.sponsor_id != r.order.sponsor_id || k.vendor_id != o.order.vendor_id) {
    return Precondition(e, "sponsor '", a.sponsor_id(), "', vendor '", a.vendor_id(),
                        "' and contract '", k.contract_id, "' (", k.sponsor_id, ", ", k.vendor_id,
                        ") do not match the owners of ", a.request_id(), " (", r.order.sponsor_id,
                        ") and ", a.offer_id(), " (", o.order.vendor_id, ")");
  }
  if (a.fte_milli() <= 0) return Invalid(e, "fte_milli ", a.fte_milli(), " is not positive");
  if (r.remaining_milli - a.fte_milli() != a.request_remaining_milli() ||
      o.remaining_milli - a.fte_milli() != a.offer_remaining_milli()) {
    return Precondition(e, "remaining after the fill (", a.request_remaining_milli(), ", ",
                        a.offer_remaining_milli(), ") is not remaining before (", r.remaining_milli,
                        ", ", o.remaining_milli, ") minus fte_milli ", a.fte_milli());
  }
  r.remaining_milli = a.request_remaining_milli();
  o.remaining_milli = a.offer_remaining_milli();
  contract->second.used_fte_milli += a.fte_milli();
  AddOnce(r.vendors_used, a.vendor_id());
  return absl::OkStatus();
}

absl::Status EventProjector::OnClosed(const pb::Event& e, m::Side side) {
  const std::string& id =
      side == m::Side::kRequest ? e.request_closed().request_id() : e.offer_closed().offer_id();
  uint64_t sequence = 0;
  if (auto s = RequireOpenOrder(e, id, side, &sequence); !s.ok()) return s;
  orders_.at(sequence).open = false;
  if (side == m::Side::kRequest) {
    requests_.erase(sequence);
  } else {
    offers_.erase(sequence);
  }
  return absl::OkStatus();
}

absl::Status EventProjector::OnRequestAmended(const pb::Event& e) {
  const pb::RequestAmended& a = e.request_amended();
  uint64_t id = 0;
  if (auto s = RequireOpenOrder(e, a.request_id(), m::Side::kRequest, &id); !s.ok()) return s;
  m::EngineSnapshot::OpenRequest& r = requests_.at(id);
  if (a.priority_sequence() != r.priority_sequence && a.priority_sequence() != e.sequence()) {
    return Precondition(e, "priority_sequence ", a.priority_sequence(), " is neither ",
                        a.request_id(), "'s priority ", r.priority_sequence, " nor the amend's");
  }
  if (auto s = RequireUnusedClientRef(e, r.order.sponsor_id, a.client_ref()); !s.ok()) return s;
  r.remaining_milli = a.remaining_milli();
  r.order.max_rate = a.max_rate();
  r.priority_sequence = a.priority_sequence();
  client_refs_[{r.order.sponsor_id, a.client_ref()}] = e.sequence();
  return absl::OkStatus();
}

absl::Status EventProjector::OnOfferAmended(const pb::Event& e) {
  const pb::OfferAmended& a = e.offer_amended();
  uint64_t id = 0;
  if (auto s = RequireOpenOrder(e, a.offer_id(), m::Side::kOffer, &id); !s.ok()) return s;
  m::EngineSnapshot::OpenOffer& o = offers_.at(id);
  if (a.priority_sequence() != o.priority_sequence && a.priority_sequence() != e.sequence()) {
    return Precondition(e, "priority_sequence ", a.priority_sequence(), " is neither ",
                        a.offer_id(), "'s priority ", o.priority_sequence, " nor the amend's");
  }
  if (auto s = RequireUnusedClientRef(e, o.order.vendor_id, a.client_ref()); !s.ok()) return s;
  o.remaining_milli = a.remaining_milli();
  o.order.rate = a.rate();
  o.priority_sequence = a.priority_sequence();
  client_refs_[{o.order.vendor_id, a.client_ref()}] = e.sequence();
  return absl::OkStatus();
}

// ---- Reference data and contracts.

absl::Status EventProjector::OnLocationDefined(const pb::Event& e) {
  const pb::LocationDefined& l = e.location_defined();
  if (l.code().empty()) return Invalid(e, "code is empty");
  const auto kind = static_cast<m::LocationKind>(l.kind());
  if (kind != m::LocationKind::kRegion && kind != m::LocationKind::kCountry &&
      kind != m::LocationKind::kHub) {
    return Invalid(e, "kind ", l.kind(), " is not REGION, COUNTRY or HUB");
  }
  if (auto it = locations_.find(l.code()); it != locations_.end() && it->second.kind != l.kind()) {
    return Precondition(e, "location '", l.code(), "' exists with another kind");
  }
  if (kind == m::LocationKind::kRegion) {
    if (!l.parent().empty()) return Invalid(e, "a region has no parent");
  } else {
    const auto want =
        kind == m::LocationKind::kCountry ? m::LocationKind::kRegion : m::LocationKind::kCountry;
    if (auto s = RequireLocation(e, l.parent(), want, "parent"); !s.ok()) return s;
  }
  locations_[l.code()] = m::DefineLocation{l.kind(), l.code(), l.parent()};
  return absl::OkStatus();
}

absl::Status EventProjector::OnParticipantUpserted(const pb::Event& e) {
  const pb::ParticipantUpserted& p = e.participant_upserted();
  if (p.id().empty()) return Invalid(e, "id is empty");
  if (p.kind() != pb::SPONSOR && p.kind() != pb::VENDOR) {
    return Invalid(e, "kind ", p.kind(), " is not SPONSOR or VENDOR");
  }
  if (auto it = participants_.find(p.id());
      it != participants_.end() && it->second.kind != p.kind()) {
    return Precondition(e, "participant '", p.id(), "' exists with another kind");
  }
  participants_[p.id()] = m::UpsertParticipant{p.id(), p.kind(), p.name()};
  return absl::OkStatus();
}

absl::Status EventProjector::OnContractUpserted(const pb::Event& e) {
  const pb::ContractUpserted& c = e.contract_upserted();
  if (c.contract_id().empty()) return Invalid(e, "contract_id is empty");
  if (auto s = RequireParticipant(e, c.sponsor_id(), m::ParticipantKind::kSponsor, "sponsor_id");
      !s.ok())
    return s;
  if (auto s = RequireParticipant(e, c.vendor_id(), m::ParticipantKind::kVendor, "vendor_id");
      !s.ok())
    return s;
  auto existing = contracts_.find(c.contract_id());
  int64_t used = 0;
  if (existing != contracts_.end()) {
    const m::UpsertContract& k = existing->second.fields;
    if (k.sponsor_id != c.sponsor_id() || k.vendor_id != c.vendor_id()) {
      return Precondition(e, "contract '", c.contract_id(), "' is between ", k.sponsor_id, " and ",
                          k.vendor_id, "; a contract's parties never change");
    }
    used = existing->second.used_fte_milli;
  } else {
    for (const auto& [id, other] : contracts_) {
      if (other.fields.sponsor_id == c.sponsor_id() && other.fields.vendor_id == c.vendor_id()) {
        return Precondition(e, "sponsor '", c.sponsor_id(), "' and vendor '", c.vendor_id(),
                            "' already have contract '", id, "'");
      }
    }
  }
  if (c.used_fte_milli() != used) {
    return Precondition(e, "used_fte_milli ", c.used_fte_milli(), " of contract '", c.contract_id(),
                        "' is not the ", used, " its fills add up to");
  }
  std::map<CardKey, int64_t> card;
  for (const pb::RateCardEntry& r : c.rates()) {
    if (auto s = RequireRole(e, r.role()); !s.ok()) return s;
    if (auto s = RequireLocation(e, r.country(), m::LocationKind::kCountry, "rates.country");
        !s.ok())
      return s;
    card[CardKey(r.role(), r.seniority(), r.country())] = r.max_rate();
  }
  Contract& k = contracts_[c.contract_id()];
  k.fields = m::UpsertContract{c.contract_id(), c.sponsor_id(),    c.vendor_id(),
                               c.active(),      c.max_fte_milli(), {}};
  k.card = std::move(card);
  k.used_fte_milli = used;
  return absl::OkStatus();
}

absl::Status EventProjector::OnRateCardPatched(const pb::Event& e) {
  const pb::RateCardPatched& p = e.rate_card_patched();
  auto contract = contracts_.find(p.contract_id());
  if (contract == contracts_.end()) {
    return Precondition(e, "unknown contract '", p.contract_id(), "'");
  }
  std::map<CardKey, int64_t>& card = contract->second.card;
  // The card's size after the patch, worked out before changing it so that a
  // mismatch leaves the card as it was.
  std::set<CardKey> removed;
  for (const pb::RateCardKey& k : p.removals()) {
    CardKey key(k.role(), k.seniority(), k.country());
    if (card.contains(key)) removed.insert(std::move(key));
  }
  std::set<CardKey> added;
  for (const pb::RateCardEntry& u : p.upserts()) {
    if (auto s = RequireRole(e, u.role()); !s.ok()) return s;
    if (auto s = RequireLocation(e, u.country(), m::LocationKind::kCountry, "upserts.country");
        !s.ok())
      return s;
    CardKey key(u.role(), u.seniority(), u.country());
    if (!card.contains(key) || removed.contains(key)) added.insert(std::move(key));
  }
  const auto count = static_cast<int64_t>(card.size() - removed.size() + added.size());
  if (count != p.rate_count()) {
    return Precondition(e, "rate_count ", p.rate_count(), " is not the ", count,
                        " entries the patch leaves on contract '", p.contract_id(), "'");
  }
  for (const CardKey& key : removed) card.erase(key);
  for (const pb::RateCardEntry& u : p.upserts()) {
    card[CardKey(u.role(), u.seniority(), u.country())] = u.max_rate();
  }
  return absl::OkStatus();
}

// ---- Output.

m::EngineSnapshot EventProjector::Snapshot() const {
  m::EngineSnapshot out;
  out.last_sequence = last_sequence_;
  for (const auto& [code, role] : roles_) out.roles.push_back(role);
  for (const auto& [code, location] : locations_) out.locations.push_back(location);
  std::stable_sort(out.locations.begin(), out.locations.end(),
                   [](const m::DefineLocation& a, const m::DefineLocation& b) {
                     return a.kind < b.kind;  // regions, countries, hubs; codes ascending within
                   });
  for (const auto& [id, participant] : participants_) out.participants.push_back(participant);
  for (const auto& [id, k] : contracts_) {
    m::EngineSnapshot::Contract& c = out.contracts.emplace_back();
    c.contract = k.fields;
    c.contract.rates.reserve(k.card.size());
    for (const auto& [key, max_rate] : k.card) {
      const auto& [role, seniority, country] = key;
      c.contract.rates.push_back(m::RateCardEntry{role, seniority, country, max_rate});
    }
    c.used_fte_milli = k.used_fte_milli;
  }
  for (const auto& [id, r] : requests_) out.requests.push_back(r);
  for (const auto& [id, o] : offers_) out.offers.push_back(o);
  for (const auto& [id, order] : orders_) {
    if (!order.open)
      out.closed.push_back(m::EngineSnapshot::ClosedOrder{id, order.side, order.owner});
  }
  for (const auto& [key, sequence] : client_refs_) {
    out.client_refs.push_back(m::EngineSnapshot::ClientRef{key.first, key.second, sequence});
  }
  return out;
}

}  // namespace market::codec
