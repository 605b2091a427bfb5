// Engine::Snapshot and Engine::Restore: the engine's state as plain values and
// back. Restore rebuilds every index (ids, buckets, entries) from the values,
// so only the values need storing.
#include <algorithm>
#include <utility>
#include <vector>

#include "matcher/engine.h"
#include "matcher/internal/engine_state.h"
#include "matcher/internal/state_values.h"
#include "matcher/internal/text.h"

namespace market::matcher {
namespace {

using internal::Cat;
using internal::EngineState;
using internal::kNoId;
using internal::kOpenEnded;

template <typename T, typename Key>
void SortBy(std::vector<T>& v, Key key) {
  std::sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
}

}  // namespace

EngineSnapshot Engine::Snapshot() const {
  const EngineState& s = *state_;
  const internal::ReferenceData& ref = s.ref;
  EngineSnapshot out;
  out.last_sequence = s.last_sequence;
  for (uint32_t id = 0; id < ref.role_count(); ++id)
    out.roles.push_back(internal::RoleValue(ref, id));
  SortBy(out.roles, [](const DefineRole& r) { return r.code; });
  for (uint32_t id = 0; id < ref.location_count(); ++id) {
    out.locations.push_back(internal::LocationValue(ref, id));
  }
  SortBy(out.locations, [](const DefineLocation& l) { return std::pair(l.kind, l.code); });
  for (uint32_t id = 0; id < ref.participant_count(); ++id) {
    out.participants.push_back(internal::ParticipantValue(ref, id));
  }
  SortBy(out.participants, [](const UpsertParticipant& p) { return p.id; });
  for (uint32_t id = 0; id < s.contracts.size(); ++id) {
    out.contracts.push_back(internal::ContractValue(ref, s.contracts.get(id)));
  }
  SortBy(out.contracts, [](const EngineSnapshot::Contract& c) { return c.contract.contract_id; });

  const auto& orders = s.book.orders();
  for (uint64_t id = 1; id <= orders.size(); ++id) {
    const internal::OrderRef& o = orders[id - 1];
    if (!o.exists) continue;
    if (!o.open) {
      out.closed.push_back(internal::ClosedOrderValue(ref, id, o));
    } else if (o.side == Side::kRequest) {
      out.requests.push_back(internal::OpenRequestValue(ref, id, s.book.request(o.slot)));
    } else {
      out.offers.push_back(internal::OpenOfferValue(ref, id, s.book.offer(o.slot)));
    }
  }

  out.client_refs.reserve(s.client_refs.size());
  s.client_refs.ForEach([&](internal::ParticipantId p, std::string_view client_ref,
                            uint64_t first) {
    out.client_refs.push_back({std::string(ref.participant_id(p)), std::string(client_ref), first});
  });
  SortBy(out.client_refs,
         [](const EngineSnapshot::ClientRef& c) { return std::pair(c.participant, c.client_ref); });
  return out;
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::Restore(const EngineSnapshot& snapshot) {
  auto engine = std::make_unique<Engine>();
  EngineState& s = *engine->state_;
  internal::ReferenceData& ref = s.ref;
  auto invalid = [](auto&&... parts) { return absl::InvalidArgumentError(Cat(parts...)); };
  s.last_sequence = snapshot.last_sequence;

  for (const DefineRole& r : snapshot.roles) ref.DefineRole(r.code, r.name, r.family);
  for (const DefineLocation& l : snapshot.locations) {
    internal::LocationId parent = kNoId;
    if (!l.parent.empty() && (parent = ref.FindLocation(l.parent)) == kNoId) {
      return invalid("snapshot location ", l.code, " names unknown parent ", l.parent);
    }
    ref.DefineLocation(static_cast<LocationKind>(l.kind), l.code, parent);
  }
  for (const UpsertParticipant& p : snapshot.participants) {
    ref.UpsertParticipant(p.id, static_cast<ParticipantKind>(p.kind), p.name);
  }
  // Remembers the last participant found: a snapshot lists the idempotency
  // keys participant by participant.
  std::string_view last_participant;
  internal::ParticipantId last_participant_id = kNoId;
  auto participant = [&](const std::string& id) {
    if (last_participant_id == kNoId || id != last_participant) {
      last_participant_id = ref.FindParticipant(id);
      last_participant = id;
    }
    return last_participant_id;
  };
  for (const EngineSnapshot::Contract& sc : snapshot.contracts) {
    const UpsertContract& c = sc.contract;
    const auto sponsor = participant(c.sponsor_id);
    const auto vendor = participant(c.vendor_id);
    if (sponsor == kNoId || vendor == kNoId) {
      return invalid("snapshot contract ", c.contract_id, " names an unknown participant");
    }
    const internal::ContractId id = s.contracts.Create(c.contract_id, sponsor, vendor);
    internal::Contract& contract = s.contracts.get(id);
    contract.active = c.active;
    contract.max_fte_milli = c.max_fte_milli;
    contract.used_fte_milli = sc.used_fte_milli;
    bool known = true;
    s.contracts.EditCard(id, [&](internal::RateCard::Entries& card) {
      card.reserve(c.rates.size());
      for (const RateCardEntry& e : c.rates) {
        const auto role = ref.FindRole(e.role);
        const auto country = ref.FindLocation(e.country);
        known = known && role != kNoId && country != kNoId;
        if (known) card.insert_or_assign(internal::RateKey(role, e.seniority, country), e.max_rate);
      }
    });
    if (!known) {
      return invalid("snapshot contract ", c.contract_id, " has a card entry of unknown codes");
    }
  }

  // Orders go in in their buckets' (price, priority) order, so each one
  // lands at the end of its buckets: no shifting of large buckets. Sorted as
  // (price, priority, index) triples, not through pointers: a million
  // orders sort in cache.
  struct BookOrder {
    int64_t price;
    uint64_t priority;
    size_t index;
    bool operator<(const BookOrder& o) const {
      return price != o.price ? price < o.price : priority < o.priority;
    }
  };
  std::vector<BookOrder> requests;
  requests.reserve(snapshot.requests.size());
  for (size_t i = 0; i < snapshot.requests.size(); ++i) {
    const EngineSnapshot::OpenRequest& r = snapshot.requests[i];
    requests.push_back({-r.order.max_rate, r.priority_sequence, i});
  }
  std::sort(requests.begin(), requests.end());
  std::vector<BookOrder> offers;
  offers.reserve(snapshot.offers.size());
  for (size_t i = 0; i < snapshot.offers.size(); ++i) {
    const EngineSnapshot::OpenOffer& o = snapshot.offers[i];
    offers.push_back({o.order.rate, o.priority_sequence, i});
  }
  std::sort(offers.begin(), offers.end());

  for (const BookOrder& request : requests) {
    const EngineSnapshot::OpenRequest& sr = snapshot.requests[request.index];
    const SubmitRequest& q = sr.order;
    internal::RestingRequest r;
    r.id = sr.id;
    r.priority = sr.priority_sequence;
    r.sponsor = participant(q.sponsor_id);
    r.role = ref.FindRole(q.role);
    const auto start = ParseDate(q.start_date);
    const auto end = ParseDate(q.end_date);
    if (r.sponsor == kNoId || r.role == kNoId || !start || !end) {
      return invalid("snapshot request R", sr.id, " names unknown codes or bad dates");
    }
    r.min_seniority = q.min_seniority;
    r.max_vendors = q.max_vendors;
    r.fte_milli = q.fte_milli;
    r.remaining_milli = sr.remaining_milli;
    r.min_slice_milli = q.min_slice_milli;
    r.max_rate = q.max_rate;
    r.start_date = *start;
    r.end_date = *end;
    for (const std::string& code : q.locations) {
      const auto loc = ref.FindLocation(code);
      if (loc == kNoId) return invalid("snapshot request R", sr.id, " lists unknown ", code);
      r.locations.push_back(loc);
    }
    for (int32_t m : q.engagement_models) {
      r.engagement_models.push_back(m);
      r.engagement_mask = static_cast<uint8_t>(r.engagement_mask | (1u << m));
    }
    for (const std::string& t : q.required_tags) r.required_tags.push_back(ref.InternTag(t));
    for (const std::string& v : q.vendor_allowlist) r.allowlist.push_back(participant(v));
    for (const std::string& v : sr.vendors_used) r.vendors_used.push_back(participant(v));
    r.client_ref = q.client_ref;
    const uint32_t slot = s.book.NewRequest(std::move(r));
    s.book.Insert(slot, s.book.request(slot));
  }
  for (const BookOrder& offer : offers) {
    const EngineSnapshot::OpenOffer& so = snapshot.offers[offer.index];
    const PublishOffer& p = so.order;
    internal::RestingOffer o;
    o.id = so.id;
    o.priority = so.priority_sequence;
    o.vendor = participant(p.vendor_id);
    o.role = ref.FindRole(p.role);
    o.country = ref.FindLocation(p.country);
    o.hub = p.hub.empty() ? kNoId : ref.FindLocation(p.hub);
    const auto from = ParseDate(p.available_from);
    const auto until =
        p.available_until.empty() ? std::optional<Day>(kOpenEnded) : ParseDate(p.available_until);
    if (o.vendor == kNoId || o.role == kNoId || o.country == kNoId ||
        (!p.hub.empty() && o.hub == kNoId) || !from || !until) {
      return invalid("snapshot offer O", so.id, " names unknown codes or bad dates");
    }
    o.seniority = p.seniority;
    o.engagement_model = static_cast<EngagementModel>(p.engagement_model);
    o.fte_milli = p.fte_milli;
    o.remaining_milli = so.remaining_milli;
    o.min_slice_milli = p.min_slice_milli;
    o.rate = p.rate;
    o.available_from = *from;
    o.available_until = *until;
    for (const std::string& t : p.tags) o.tags.push_back(ref.InternTag(t));
    o.client_ref = p.client_ref;
    const uint32_t slot = s.book.NewOffer(std::move(o));
    s.book.Insert(slot, s.book.offer(slot));
  }
  for (const EngineSnapshot::ClosedOrder& c : snapshot.closed) {
    const auto owner = participant(c.owner);
    if (owner == kNoId) return invalid("snapshot closed order ", c.id, " has unknown owner");
    s.book.RecordClosed(c.id, owner, c.side);
  }
  s.client_refs.Reserve(snapshot.client_refs.size());
  for (const EngineSnapshot::ClientRef& c : snapshot.client_refs) {
    const auto who = participant(c.participant);
    if (who == kNoId) return invalid("snapshot client_ref of unknown ", c.participant);
    if (c.sequence == 0) return invalid("snapshot client_ref ", c.client_ref, " has sequence 0");
    s.client_refs.FindOrAdd(who, c.client_ref, c.sequence);
  }
  return engine;
}

}  // namespace market::matcher
