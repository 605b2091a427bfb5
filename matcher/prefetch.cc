// Engine::Prefetch: the hints that let a caller overlap the first cache
// misses of the commands to come with the work of the current one.
//
// Nothing here changes state: every lookup is a read of the tables as they
// are now, bounds-checked, and a stale answer (the current command changes
// the book or the reference data) only makes a hint useless.
#include <string>
#include <variant>

#include "matcher/engine.h"
#include "matcher/internal/command_fields.h"
#include "matcher/internal/engine_state.h"
#include "matcher/order_id.h"

namespace market::matcher {
namespace {

using internal::EngineState;
using internal::kNoId;
using internal::LocationId;
using internal::ParticipantId;
using internal::RoleId;

// The order an amend, cancel or withdraw names (its sequence), or 0.
uint64_t NamedOrder(const Command& c) {
  if (const auto* a = std::get_if<AmendRequest>(&c.body)) return ParseOrderId(a->request_id, 'R');
  if (const auto* x = std::get_if<CancelRequest>(&c.body)) return ParseOrderId(x->request_id, 'R');
  if (const auto* b = std::get_if<AmendOffer>(&c.body)) return ParseOrderId(b->offer_id, 'O');
  if (const auto* w = std::get_if<WithdrawOffer>(&c.body)) return ParseOrderId(w->offer_id, 'O');
  return 0;
}

// kCodes: the interner slots of the command's codes; pure hashing.
void PrefetchCodes(const EngineState& s, const Command& c) {
  s.ref.PrefetchParticipant(internal::ParsePrincipal(c.principal).id);
  if (const auto* r = std::get_if<SubmitRequest>(&c.body)) {
    s.ref.PrefetchRole(r->role);
    for (const std::string& loc : r->locations) s.ref.PrefetchLocation(loc);
  } else if (const auto* o = std::get_if<PublishOffer>(&c.body)) {
    s.ref.PrefetchRole(o->role);
    s.ref.PrefetchLocation(o->country);
    if (!o->hub.empty()) s.ref.PrefetchLocation(o->hub);
    for (const std::string& t : o->tags) s.ref.PrefetchTag(t);
  } else if (const uint64_t id = NamedOrder(c); id != 0) {
    s.book.PrefetchOrderRef(id);
  }
}

ParticipantId Caller(const EngineState& s, const Command& c) {
  return s.ref.FindParticipant(internal::ParsePrincipal(c.principal).id);
}

void PrefetchRequestState(const EngineState& s, const Command& c, const SubmitRequest& r) {
  const ParticipantId who = Caller(s, c);
  if (who != kNoId) s.client_refs.Prefetch(who, r.client_ref);
  s.book.PrefetchNewRequest();
  const RoleId role = s.ref.FindRole(r.role);
  if (role == kNoId || r.min_seniority < 0 || r.min_seniority > kMaxSeniority) return;
  const int32_t lo = r.min_seniority == 0 ? kMinSeniority : r.min_seniority;
  for (const std::string& code : r.locations) {
    const LocationId loc = s.ref.FindLocation(code);
    if (loc == kNoId) continue;
    s.book.PrefetchRequestBuckets(role, loc, lo, lo);  // where it will rest
    const internal::Location& l = s.ref.location(loc);
    if (l.kind == LocationKind::kRegion) {
      for (LocationId country : l.children) {
        s.book.PrefetchOfferBuckets(role, country, lo, kMaxSeniority);
      }
    } else {
      s.book.PrefetchOfferBuckets(role, loc, lo, kMaxSeniority);
    }
  }
}

void PrefetchOfferState(const EngineState& s, const Command& c, const PublishOffer& o) {
  const ParticipantId who = Caller(s, c);
  if (who != kNoId) s.client_refs.Prefetch(who, o.client_ref);
  s.book.PrefetchNewOffer();
  const RoleId role = s.ref.FindRole(o.role);
  const LocationId country = s.ref.FindLocation(o.country);
  if (role == kNoId || country == kNoId || o.seniority < kMinSeniority ||
      o.seniority > kMaxSeniority) {
    return;
  }
  s.book.PrefetchOfferBuckets(role, country, o.seniority, o.seniority);
  s.book.PrefetchRequestBuckets(role, country, kMinSeniority, o.seniority);
  const LocationId region = s.ref.RegionOf(country);
  if (region != kNoId) s.book.PrefetchRequestBuckets(role, region, kMinSeniority, o.seniority);
  if (o.hub.empty()) return;
  const LocationId hub = s.ref.FindLocation(o.hub);
  if (hub == kNoId) return;
  s.book.PrefetchOfferBuckets(role, hub, o.seniority, o.seniority);
  s.book.PrefetchRequestBuckets(role, hub, kMinSeniority, o.seniority);
}

// kState: resolves the codes (their slots were loaded by kCodes) and loads
// what execution reads first.
void PrefetchState(const EngineState& s, const Command& c) {
  if (const auto* r = std::get_if<SubmitRequest>(&c.body)) {
    PrefetchRequestState(s, c, *r);
  } else if (const auto* o = std::get_if<PublishOffer>(&c.body)) {
    PrefetchOfferState(s, c, *o);
  } else if (const uint64_t id = NamedOrder(c); id != 0) {
    s.book.PrefetchRecord(id);
  }
}

}  // namespace

void Engine::Prefetch(const Command& upcoming, PrefetchStage stage) const {
  if (stage == PrefetchStage::kCodes) {
    PrefetchCodes(*state_, upcoming);
  } else {
    PrefetchState(*state_, upcoming);
  }
}

}  // namespace market::matcher
