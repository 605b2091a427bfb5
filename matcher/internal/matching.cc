// The walk of MATCHING.md ("Fill size", "Time in force"): an incoming order
// meets the compatible resting orders of the other side in priority order.
//
// Every walk first builds a plan (the fills the greedy walk makes, carrying
// remaining quantities, contract headroom and vendors used from one candidate
// to the next) and then executes it. Planning never changes state, which is
// exactly the all-or-none dry run; for other orders executing the plan at once
// is the same as filling during the walk, because each candidate is met once.
#include <algorithm>
#include <span>

#include "absl/container/inlined_vector.h"
#include "matcher/internal/engine_state.h"

namespace market::matcher::internal {
namespace {

// FTE a walk has planned under each contract, on top of what is used already.
class PlannedUsage {
 public:
  int64_t Of(ContractId id) const {
    for (const auto& [c, q] : items_) {
      if (c == id) return q;
    }
    return 0;
  }
  void Add(ContractId id, int64_t q) {
    for (auto& [c, sum] : items_) {
      if (c == id) {
        sum += q;
        return;
      }
    }
    items_.emplace_back(id, q);
  }

 private:
  absl::InlinedVector<std::pair<ContractId, int64_t>, 8> items_;
};

template <typename Vec, typename T>
bool Contains(const Vec& v, T x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Rules 3 to 5 on the bucket entries: dates, engagement model, and the tag
// masks (a necessary condition for the tag rule). Role, seniority and
// location hold by construction of the buckets. Evaluated without branches:
// walks call it on every crossing entry, and its outcome is unpredictable.
bool EntriesPass(const BookEntry& request, const BookEntry& offer) {
  const bool from = offer.day_from <= request.day_from;
  const bool to = (offer.day_to == kOpenEnded) | (offer.day_to >= request.day_to);
  const bool models = (request.models == 0) | (((request.models >> offer.models) & 1u) != 0);
  const bool tags = (request.tags & ~offer.tags) == 0;
  return from & to & models & tags;
}

// The sponsor's contract with the vendor, from the sponsor's few pairs.
ContractId ContractWith(const ContractRegistry::VendorContracts& pairs, ParticipantId vendor) {
  for (const auto& [v, id] : pairs) {
    if (v == vendor) return id;
  }
  return kNoId;
}

// Participants as a bitset over their ids (bit p % 64 of word p / 64).
class ParticipantSet {
 public:
  ParticipantSet() = default;
  explicit ParticipantSet(std::span<const uint64_t> words) : words_(words.begin(), words.end()) {}
  void Add(ParticipantId p) {
    if (p / 64 >= words_.size()) words_.resize(p / 64 + 1, 0);
    words_[p / 64] |= uint64_t{1} << (p % 64);
  }
  bool Has(ParticipantId p) const {
    return p / 64 < words_.size() && ((words_[p / 64] >> (p % 64)) & 1u) != 0;
  }

 private:
  absl::InlinedVector<uint64_t, 4> words_;
};

// The rest of rules 5 and 6 on the full records: the exact tag subset and the
// vendor allowlist.
bool TagsAndAllowlistPass(const RestingRequest& r, const RestingOffer& o) {
  for (TagId t : r.required_tags) {
    if (!Contains(o.tags, t)) return false;
  }
  return r.allowlist.empty() || Contains(r.allowlist, o.vendor);
}

// Rule 7: the offer's rate is within the card's cap for its role, seniority
// and country (checked last of the rules: it is the one lookup into a large
// table).
bool WithinCap(const ContractRegistry& contracts, ContractId pair, const RestingRequest& r,
               const RestingOffer& o) {
  return o.rate <= contracts.Cap(pair, r.role, o.seniority, o.country);
}

// The fill size rule: q from the three limits, then min slices and the blend
// limit. Returns 0 when the pair is skipped.
int64_t FillSize(int64_t request_remaining, const RestingRequest& r, int64_t offer_remaining,
                 const RestingOffer& o, int64_t headroom,
                 const SmallList<ParticipantId>& vendors_used) {
  const int64_t q = std::min({request_remaining, offer_remaining, headroom});
  if (q <= 0) return 0;
  if (q < r.min_slice_milli && q != request_remaining) return 0;
  if (q < o.min_slice_milli && q != offer_remaining) return 0;
  if (r.max_vendors > 0 && !Contains(vendors_used, o.vendor) &&
      vendors_used.size() >= static_cast<size_t>(r.max_vendors)) {
    return 0;
  }
  return q;
}

}  // namespace

// One planned fill made real: both sides' remaining, the contract's usage, the
// request's vendors, and the AssignmentCreated event.
void EngineState::ApplyFill(RestingRequest& r, RestingOffer& o, const PlannedFill& f,
                            Emitter& out) {
  Contract& c = contracts.get(f.contract);
  o.remaining_milli -= f.fte_milli;
  r.remaining_milli -= f.fte_milli;
  c.used_fte_milli += f.fte_milli;
  if (!Contains(r.vendors_used, o.vendor)) r.vendors_used.push_back(o.vendor);
  out.Emit(AssignmentCreated{
      r.id, o.id, c.contract_id, ref.participant_id(r.sponsor), ref.participant_id(o.vendor),
      ref.role_code(r.role), o.seniority, ref.location_code(o.country),
      o.hub == kNoId ? std::string_view() : ref.location_code(o.hub), f.fte_milli, o.rate,
      r.start_date, r.end_date, r.remaining_milli, o.remaining_milli});
}

// The offer buckets (one location's five, by seniority) a request's walk
// visits: for each listed location, its own, or its countries' for a region.
// A listed country whose region is listed too is visited once, through the
// region (its buckets twice would give the same orders twice).
template <typename F>
void ForEachOfferBucketSet(const ReferenceData& ref, const OrderBook& book, const RestingRequest& r,
                           F&& f) {
  for (LocationId loc : r.locations) {
    const Location& l = ref.location(loc);
    if (l.kind == LocationKind::kRegion) {
      for (LocationId country : l.children) f(book.Offers(r.role, country));
    } else if (l.kind != LocationKind::kCountry || !Contains(r.locations, l.parent)) {
      f(book.Offers(r.role, loc));
    }
  }
}

void EngineState::PrefetchWalk(const RestingRequest& r) const {
  ForEachOfferBucketSet(ref, book, r, [&](const Bucket* five) {
    MergeCursor::Prefetch(five, r.min_seniority, kMaxSeniority);
  });
  book.PrefetchInsert(r, false);
}

void EngineState::PrefetchWalk(const RestingOffer& o) const {
  book.PrefetchInsert(o, false);
  const LocationId region = ref.RegionOf(o.country);
  if (region != kNoId)
    MergeCursor::Prefetch(book.Requests(o.role, region), kMinSeniority, o.seniority);
  MergeCursor::Prefetch(book.Requests(o.role, o.country), kMinSeniority, o.seniority);
  if (o.hub != kNoId)
    MergeCursor::Prefetch(book.Requests(o.role, o.hub), kMinSeniority, o.seniority);
}

void EngineState::MatchRequest(uint32_t slot, TimeInForce tif, bool aon, Emitter& out) {
  RestingRequest& r = book.request(slot);

  // Plan.
  cursor_.Clear();
  ForEachOfferBucketSet(ref, book, r, [&](const Bucket* five) {
    cursor_.Add(five, r.min_seniority, kMaxSeniority, r.max_rate);
  });
  if (tif != TimeInForce::kIoc) book.PrefetchInsert(r, true);
  absl::InlinedVector<PlannedFill, 8> plan;
  PlannedUsage usage;
  const ContractRegistry::VendorContracts& sponsor_contracts = contracts.OfSponsor(r.sponsor);
  const BookEntry incoming = OrderBook::EntryOf(slot, r);
  SmallList<ParticipantId> vendors = r.vendors_used;
  int64_t remaining = r.remaining_milli;
  auto contract_with = [&](ParticipantId vendor) {
    return ContractWith(sponsor_contracts, vendor);
  };

  ParticipantSet contracted;  // the sponsor's vendors with a contract
  for (const auto& [v, id] : sponsor_contracts) contracted.Add(v);
  auto keep = [&](const BookEntry& key) {
    return EntriesPass(incoming, key) & contracted.Has(key.party);
  };
  auto touch = [&](const BookEntry& key) {  // what the visit reads
    const auto* o = reinterpret_cast<const char*>(&book.offer(key.slot));
    LoadHint(o);
    LoadHint(o + 64);
    if (key.country != BookEntry::kNoCountry) {
      contracts.Prefetch(contract_with(key.party), r.role, key.country);
    }
  };
  cursor_.Walk(
      r.max_rate, keep,
      [&](const BookEntry& key) {
        const ContractId pair = contract_with(key.party);
        const RestingOffer& o = book.offer(key.slot);
        if (!TagsAndAllowlistPass(r, o)) return true;
        const Contract& c = contracts.get(pair);
        if (!c.active) return true;
        const int64_t headroom = c.headroom_milli() - usage.Of(pair);
        const int64_t q = FillSize(remaining, r, o.remaining_milli, o, headroom, vendors);
        if (q == 0 || !WithinCap(contracts, pair, r, o)) return true;
        plan.push_back(PlannedFill{key.slot, q, pair});
        if (q == o.remaining_milli) book.PrefetchClose(o);  // it will leave the book
        usage.Add(pair, q);
        if (!Contains(vendors, o.vendor)) vendors.push_back(o.vendor);
        remaining -= q;
        return remaining > 0;
      },
      touch);

  if (aon && remaining > 0) {
    const uint64_t id = r.id;
    book.CloseRequest(slot);
    out.Emit(OrderClosed{Side::kRequest, id, CloseReason::kAonUnfilled});
    return;
  }

  // Execute.
  absl::InlinedVector<uint32_t, 8> exhausted;
  for (const PlannedFill& f : plan) {
    RestingOffer& o = book.offer(f.slot);
    ApplyFill(r, o, f, out);
    if (o.remaining_milli == 0) {
      out.Emit(OrderClosed{Side::kOffer, o.id, CloseReason::kExhausted});
      exhausted.push_back(f.slot);
    }
  }
  for (uint32_t s : exhausted) {
    book.Remove(s, book.offer(s));
    book.CloseOffer(s);
  }

  const uint64_t id = r.id;
  if (r.remaining_milli == 0) {
    book.CloseRequest(slot);
    out.Emit(OrderClosed{Side::kRequest, id, CloseReason::kFilled});
  } else if (tif == TimeInForce::kIoc) {
    book.CloseRequest(slot);
    out.Emit(OrderClosed{Side::kRequest, id, CloseReason::kIocRemainder});
  } else {
    book.Insert(slot, r);
  }
}

void EngineState::MatchOffer(uint32_t slot, TimeInForce tif, Emitter& out) {
  RestingOffer& o = book.offer(slot);

  cursor_.Clear();
  const LocationId region = ref.RegionOf(o.country);
  const Bucket* in_region = region != kNoId ? book.Requests(o.role, region) : nullptr;
  const Bucket* in_country = book.Requests(o.role, o.country);
  const Bucket* in_hub = o.hub != kNoId ? book.Requests(o.role, o.hub) : nullptr;
  cursor_.Add(in_region, kMinSeniority, o.seniority, -o.rate);
  cursor_.Add(in_country, kMinSeniority, o.seniority, -o.rate);
  cursor_.Add(in_hub, kMinSeniority, o.seniority, -o.rate);
  if (tif != TimeInForce::kIoc) book.PrefetchInsert(o, true);
  absl::InlinedVector<PlannedFill, 8> plan;
  PlannedUsage usage;
  const BookEntry incoming = OrderBook::EntryOf(slot, o);
  int64_t remaining = o.remaining_milli;
  const ParticipantSet contracted(contracts.SponsorsOf(o.vendor));
  const std::span<const ContractId> contract_with = contracts.ContractsOfVendor(o.vendor);
  auto keep = [&](const BookEntry& key) {
    return EntriesPass(key, incoming) & contracted.Has(key.party);
  };
  auto touch = [&](const BookEntry& key) {  // what the visit reads
    const RestingRequest* r = &book.request(key.slot);
    LoadHint(r);
    LoadHint(reinterpret_cast<const char*>(r) + 64);
    LoadHint(&r->vendors_used);
    contracts.Prefetch(contract_with[key.party], o.role, o.country);  // kept: it has one
  };
  cursor_.Walk(
      -o.rate, keep,
      [&](const BookEntry& key) {
        const ContractId pair = contract_with[key.party];  // kept: it has one
        const RestingRequest& r = book.request(key.slot);
        if (key.flags != 0 && !TagsAndAllowlistPass(r, o)) return true;
        const Contract& c = contracts.get(pair);
        if (!c.active) return true;
        const int64_t headroom = c.headroom_milli() - usage.Of(pair);
        const int64_t q = FillSize(r.remaining_milli, r, remaining, o, headroom, r.vendors_used);
        if (q == 0 || !WithinCap(contracts, pair, r, o)) return true;
        plan.push_back(PlannedFill{key.slot, q, pair});
        if (q == r.remaining_milli) book.PrefetchClose(r);  // it will leave the book
        usage.Add(pair, q);
        remaining -= q;
        return remaining > 0;
      },
      touch);

  absl::InlinedVector<uint32_t, 8> filled;
  for (const PlannedFill& f : plan) {
    RestingRequest& r = book.request(f.slot);
    ApplyFill(r, o, f, out);
    if (r.remaining_milli == 0) {
      out.Emit(OrderClosed{Side::kRequest, r.id, CloseReason::kFilled});
      filled.push_back(f.slot);
    }
  }
  for (uint32_t s : filled) {
    book.Remove(s, book.request(s));
    book.CloseRequest(s);
  }

  const uint64_t id = o.id;
  if (o.remaining_milli == 0) {
    book.CloseOffer(slot);
    out.Emit(OrderClosed{Side::kOffer, id, CloseReason::kExhausted});
  } else if (tif == TimeInForce::kIoc) {
    book.CloseOffer(slot);
    out.Emit(OrderClosed{Side::kOffer, id, CloseReason::kIocRemainder});
  } else {
    book.Insert(slot, o);
  }
}

}  // namespace market::matcher::internal
