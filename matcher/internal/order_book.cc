#include "matcher/internal/order_book.h"

#include <algorithm>

namespace market::matcher::internal {
namespace {

template <typename T>
uint32_t TakeSlot(Slab<T>& slab, std::vector<uint32_t>& free, T&& value) {
  if (!free.empty()) {
    const uint32_t slot = free.back();
    free.pop_back();
    slab[slot] = std::move(value);
    return slot;
  }
  return static_cast<uint32_t>(slab.push_back(std::move(value)));
}

}  // namespace

void Bucket::Insert(const BookEntry& e) {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), e);
  if (at != entries_.end() && at->priority == e.priority) return;  // listed twice
  entries_.insert(at, e);
  best_ = entries_.front().price;
}

void Bucket::Remove(const BookEntry& e) {
  auto at = std::lower_bound(entries_.begin(), entries_.end(), e);
  if (at == entries_.end() || at->priority != e.priority) return;
  entries_.erase(at);
  best_ = entries_.empty() ? kEmpty : entries_.front().price;
}

Bucket* SideIndex::At(RoleId role, LocationId loc) {
  if (role >= roles_ || loc >= locations_) {
    // Grow with headroom so that defining roles and locations one at a time
    // re-lays the array out only a few times.
    const uint32_t roles = role >= roles_ ? std::max(role + 1, roles_ + roles_ / 2) : roles_;
    const uint32_t locations =
        loc >= locations_ ? std::max(loc + 1, locations_ + locations_ / 2) : locations_;
    std::vector<Bucket> grown(static_cast<size_t>(roles) * locations * kMaxSeniority);
    for (uint32_t r = 0; r < roles_; ++r) {
      for (uint32_t l = 0; l < locations_; ++l) {
        for (size_t s = 0; s < kMaxSeniority; ++s) {
          grown[(static_cast<size_t>(r) * locations + l) * kMaxSeniority + s] =
              std::move(buckets_[(static_cast<size_t>(r) * locations_ + l) * kMaxSeniority + s]);
        }
      }
    }
    buckets_ = std::move(grown);
    roles_ = roles;
    locations_ = locations;
  }
  return &buckets_[(static_cast<size_t>(role) * locations_ + loc) * kMaxSeniority];
}

BookEntry OrderBook::EntryOf(uint32_t slot, const RestingRequest& r) {
  const uint8_t flags =
      static_cast<uint8_t>((r.allowlist.empty() ? 0 : BookEntry::kHasAllowlist) |
                           (r.required_tags.empty() ? 0 : BookEntry::kHasRequiredTags));
  return BookEntry{-r.max_rate,
                   r.priority,
                   slot,
                   r.sponsor,
                   r.start_date,
                   r.end_date,
                   TagMask(r.required_tags),
                   r.engagement_mask,
                   flags,
                   BookEntry::kNoCountry};
}

BookEntry OrderBook::EntryOf(uint32_t slot, const RestingOffer& o) {
  return BookEntry{
      o.rate,
      o.priority,
      slot,
      o.vendor,
      o.available_from,
      o.available_until,
      TagMask(o.tags),
      static_cast<uint8_t>(o.engagement_model),
      0,
      o.country < BookEntry::kNoCountry ? static_cast<uint16_t>(o.country) : BookEntry::kNoCountry};
}

OrderRef& OrderBook::Record(uint64_t id) {
  while (orders_.size() < id) orders_.push_back(OrderRef{});
  return orders_[id - 1];
}

uint32_t OrderBook::NewRequest(RestingRequest&& r) {
  const uint64_t id = r.id;
  const ParticipantId owner = r.sponsor;
  const uint32_t slot = TakeSlot(requests_, free_requests_, std::move(r));
  Record(id) = OrderRef{slot, owner, Side::kRequest, true, true};
  return slot;
}

uint32_t OrderBook::NewOffer(RestingOffer&& o) {
  const uint64_t id = o.id;
  const ParticipantId owner = o.vendor;
  const uint32_t slot = TakeSlot(offers_, free_offers_, std::move(o));
  Record(id) = OrderRef{slot, owner, Side::kOffer, true, true};
  return slot;
}

void OrderBook::CloseRequest(uint32_t slot) {
  RestingRequest& r = requests_[slot];
  orders_[r.id - 1].open = false;
  r = RestingRequest{};  // release its heap memory now
  free_requests_.push_back(slot);
}

void OrderBook::CloseOffer(uint32_t slot) {
  RestingOffer& o = offers_[slot];
  orders_[o.id - 1].open = false;
  o = RestingOffer{};
  free_offers_.push_back(slot);
}

namespace {

// How much of a bucket an insert is expected to read: its binary search and
// the entries it moves.
constexpr size_t kInsertPrefetchBytes = 1024;

void PrefetchBucket(const Bucket* b, bool entries) {
  if (entries) {
    b->PrefetchEntries(kInsertPrefetchBytes);
  } else {
    LoadHint(b);
  }
}

}  // namespace

void OrderBook::PrefetchInsert(const RestingRequest& r, bool entries) const {
  const auto s = static_cast<size_t>(r.min_seniority - 1);
  for (LocationId loc : r.locations) {
    if (const Bucket* five = request_index_.Find(r.role, loc)) PrefetchBucket(five + s, entries);
  }
}

void OrderBook::PrefetchInsert(const RestingOffer& o, bool entries) const {
  const auto s = static_cast<size_t>(o.seniority - 1);
  if (const Bucket* five = offer_index_.Find(o.role, o.country)) PrefetchBucket(five + s, entries);
  if (o.hub == kNoId) return;
  if (const Bucket* five = offer_index_.Find(o.role, o.hub)) PrefetchBucket(five + s, entries);
}

void OrderBook::Insert(uint32_t slot, const RestingRequest& r) {
  const BookEntry e = EntryOf(slot, r);
  const auto s = static_cast<size_t>(r.min_seniority - 1);
  for (LocationId loc : r.locations) request_index_.At(r.role, loc)[s].Insert(e);
}

void OrderBook::Remove(uint32_t slot, const RestingRequest& r) {
  const BookEntry e = EntryOf(slot, r);
  const auto s = static_cast<size_t>(r.min_seniority - 1);
  for (LocationId loc : r.locations) request_index_.At(r.role, loc)[s].Remove(e);
}

void OrderBook::Insert(uint32_t slot, const RestingOffer& o) {
  const BookEntry e = EntryOf(slot, o);
  const auto s = static_cast<size_t>(o.seniority - 1);
  offer_index_.At(o.role, o.country)[s].Insert(e);
  if (o.hub != kNoId) offer_index_.At(o.role, o.hub)[s].Insert(e);
}

void OrderBook::Remove(uint32_t slot, const RestingOffer& o) {
  const BookEntry e = EntryOf(slot, o);
  const auto s = static_cast<size_t>(o.seniority - 1);
  offer_index_.At(o.role, o.country)[s].Remove(e);
  if (o.hub != kNoId) offer_index_.At(o.role, o.hub)[s].Remove(e);
}

}  // namespace market::matcher::internal
