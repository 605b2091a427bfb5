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

uint32_t OrderBook::NewRequest(RestingRequest&& r) {
  const uint64_t id = r.id;
  const ParticipantId owner = r.sponsor;
  const uint32_t slot = TakeSlot(requests_, free_requests_, std::move(r));
  orders_[id] = OrderRef{slot, owner, Side::kRequest, true};
  return slot;
}

uint32_t OrderBook::NewOffer(RestingOffer&& o) {
  const uint64_t id = o.id;
  const ParticipantId owner = o.vendor;
  const uint32_t slot = TakeSlot(offers_, free_offers_, std::move(o));
  orders_[id] = OrderRef{slot, owner, Side::kOffer, true};
  return slot;
}

void OrderBook::CloseRequest(uint32_t slot) {
  RestingRequest& r = requests_[slot];
  orders_[r.id].open = false;
  r = RestingRequest{};  // release its heap memory now
  free_requests_.push_back(slot);
}

void OrderBook::CloseOffer(uint32_t slot) {
  RestingOffer& o = offers_[slot];
  orders_[o.id].open = false;
  o = RestingOffer{};
  free_offers_.push_back(slot);
}

void OrderBook::Insert(uint32_t slot, const RestingRequest& r) {
  const BookKey key{-r.max_rate, r.priority, slot};
  for (LocationId loc : r.locations) request_buckets_[BucketKey(r.role, loc)].insert(key);
}

void OrderBook::Remove(uint32_t slot, const RestingRequest& r) {
  const BookKey key{-r.max_rate, r.priority, slot};
  for (LocationId loc : r.locations) {
    auto it = request_buckets_.find(BucketKey(r.role, loc));
    if (it != request_buckets_.end()) it->second.erase(key);
  }
}

void OrderBook::Insert(uint32_t slot, const RestingOffer& o) {
  const BookKey key{o.rate, o.priority, slot};
  offer_buckets_[BucketKey(o.role, o.country)].insert(key);
  if (o.hub != kNoId) offer_buckets_[BucketKey(o.role, o.hub)].insert(key);
}

void OrderBook::Remove(uint32_t slot, const RestingOffer& o) {
  const BookKey key{o.rate, o.priority, slot};
  auto erase = [&](LocationId loc) {
    auto it = offer_buckets_.find(BucketKey(o.role, loc));
    if (it != offer_buckets_.end()) it->second.erase(key);
  };
  erase(o.country);
  if (o.hub != kNoId) erase(o.hub);
}

}  // namespace market::matcher::internal
