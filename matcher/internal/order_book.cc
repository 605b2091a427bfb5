#include "matcher/internal/order_book.h"

#include <algorithm>

namespace market::matcher::internal {
namespace {

template <typename T, typename F>
uint32_t TakeSlot(std::vector<T>& slab, std::vector<F>& filters, std::vector<uint32_t>& free,
                  T&& value, const F& filter) {
  if (!free.empty()) {
    const uint32_t slot = free.back();
    free.pop_back();
    slab[slot] = std::move(value);
    filters[slot] = filter;
    return slot;
  }
  slab.push_back(std::move(value));
  filters.push_back(filter);
  return static_cast<uint32_t>(slab.size() - 1);
}

RequestFilter FilterOf(const RestingRequest& r) {
  return RequestFilter{r.sponsor,
                       r.start_date,
                       r.end_date,
                       r.engagement_mask,
                       !r.allowlist.empty(),
                       !r.required_tags.empty(),
                       TagMask(r.required_tags)};
}

OfferFilter FilterOf(const RestingOffer& o) {
  return OfferFilter{o.vendor, o.available_from, o.available_until,
                     static_cast<uint8_t>(o.engagement_model), TagMask(o.tags)};
}

}  // namespace

OrderRef& OrderBook::Record(uint64_t id) {
  if (orders_.size() < id) orders_.resize(id);
  return orders_[id - 1];
}

uint32_t OrderBook::NewRequest(RestingRequest&& r) {
  const uint64_t id = r.id;
  const ParticipantId owner = r.sponsor;
  const RequestFilter filter = FilterOf(r);
  const uint32_t slot = TakeSlot(requests_, request_filters_, free_requests_, std::move(r), filter);
  Record(id) = OrderRef{slot, owner, Side::kRequest, true, true};
  return slot;
}

uint32_t OrderBook::NewOffer(RestingOffer&& o) {
  const uint64_t id = o.id;
  const ParticipantId owner = o.vendor;
  const OfferFilter filter = FilterOf(o);
  const uint32_t slot = TakeSlot(offers_, offer_filters_, free_offers_, std::move(o), filter);
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
  const BookKey key{-r.max_rate, r.priority, slot};
  for (LocationId loc : r.locations)
    request_buckets_[BucketKey(r.role, r.min_seniority, loc)].insert(key);
}

void OrderBook::Remove(uint32_t slot, const RestingRequest& r) {
  const BookKey key{-r.max_rate, r.priority, slot};
  for (LocationId loc : r.locations) {
    auto it = request_buckets_.find(BucketKey(r.role, r.min_seniority, loc));
    if (it != request_buckets_.end()) it->second.erase(key);
  }
}

void OrderBook::Insert(uint32_t slot, const RestingOffer& o) {
  const BookKey key{o.rate, o.priority, slot};
  offer_buckets_[BucketKey(o.role, o.seniority, o.country)].insert(key);
  if (o.hub != kNoId) offer_buckets_[BucketKey(o.role, o.seniority, o.hub)].insert(key);
}

void OrderBook::Remove(uint32_t slot, const RestingOffer& o) {
  const BookKey key{o.rate, o.priority, slot};
  auto erase = [&](LocationId loc) {
    auto it = offer_buckets_.find(BucketKey(o.role, o.seniority, loc));
    if (it != offer_buckets_.end()) it->second.erase(key);
  };
  erase(o.country);
  if (o.hub != kNoId) erase(o.hub);
}

}  // namespace market::matcher::internal
