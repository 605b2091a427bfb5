#include "matcher/internal/order_book.h"

#include <algorithm>

namespace market::matcher::internal {
namespace {

template <typename T>
uint32_t TakeSlot(std::vector<T>& slab, std::vector<uint32_t>& free, T&& value) {
  if (!free.empty()) {
    const uint32_t slot = free.back();
    free.pop_back();
    slab[slot] = std::move(value);
    return slot;
  }
  slab.push_back(std::move(value));
  return static_cast<uint32_t>(slab.size() - 1);
}

}  // namespace

void LocationBook::Insert(int32_t seniority, const BookEntry& e) {
  const auto i = static_cast<size_t>(seniority - 1);
  Bucket& b = buckets[i];
  auto at = std::lower_bound(b.begin(), b.end(), e);
  if (at != b.end() && at->priority == e.priority) return;  // listed twice
  b.insert(at, e);
  best[i] = b.front().price;
}

void LocationBook::Remove(int32_t seniority, const BookEntry& e) {
  const auto i = static_cast<size_t>(seniority - 1);
  Bucket& b = buckets[i];
  auto at = std::lower_bound(b.begin(), b.end(), e);
  if (at != b.end() && at->priority == e.priority) b.erase(at);
  best[i] = b.empty() ? kEmpty : b.front().price;
}

LocationBook& SideIndex::At(RoleId role, LocationId loc) {
  if (books_.size() <= role) books_.resize(role + 1);
  auto& by_loc = books_[role];
  if (by_loc.size() <= loc) by_loc.resize(loc + 1);
  if (!by_loc[loc]) by_loc[loc] = std::make_unique<LocationBook>();
  return *by_loc[loc];
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
                   flags};
}

BookEntry OrderBook::EntryOf(uint32_t slot, const RestingOffer& o) {
  return BookEntry{o.rate,
                   o.priority,
                   slot,
                   o.vendor,
                   o.available_from,
                   o.available_until,
                   TagMask(o.tags),
                   static_cast<uint8_t>(o.engagement_model),
                   0};
}

OrderRef& OrderBook::Record(uint64_t id) {
  if (orders_.size() < id) orders_.resize(id);
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

void OrderBook::Insert(uint32_t slot, const RestingRequest& r) {
  const BookEntry e = EntryOf(slot, r);
  for (LocationId loc : r.locations) request_index_.At(r.role, loc).Insert(r.min_seniority, e);
}

void OrderBook::Remove(uint32_t slot, const RestingRequest& r) {
  const BookEntry e = EntryOf(slot, r);
  for (LocationId loc : r.locations) request_index_.At(r.role, loc).Remove(r.min_seniority, e);
}

void OrderBook::Insert(uint32_t slot, const RestingOffer& o) {
  const BookEntry e = EntryOf(slot, o);
  offer_index_.At(o.role, o.country).Insert(o.seniority, e);
  if (o.hub != kNoId) offer_index_.At(o.role, o.hub).Insert(o.seniority, e);
}

void OrderBook::Remove(uint32_t slot, const RestingOffer& o) {
  const BookEntry e = EntryOf(slot, o);
  offer_index_.At(o.role, o.country).Remove(o.seniority, e);
  if (o.hub != kNoId) offer_index_.At(o.role, o.hub).Remove(o.seniority, e);
}

}  // namespace market::matcher::internal
