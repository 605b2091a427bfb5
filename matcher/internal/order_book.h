// The resting book: open requests and offers, and the indexes the walk uses.
//
// Index design (see matcher/README.md): every resting order sits in small
// priority-ordered buckets keyed by (role, seniority, location):
//   offers:   (role, seniority, country) and, with a hub, (role, seniority, hub);
//   requests: (role, min_seniority, L) for each distinct location L it lists.
// An incoming request visits, for each seniority it accepts, the offer buckets
// of the countries its listed regions hold now, of its listed countries and
// of its listed hubs; an incoming offer visits, for each min_seniority it
// satisfies, the request buckets of its region, country and hub. Buckets
// whose best order is already past the incoming order's price are skipped.
// A MergeCursor walks those few buckets in one priority order, so a command
// touches only candidates of its role and allowed locations.
//
// Invariant: an order is in exactly the buckets above while it is open, and
// its BookKey there is (price key, priority sequence, slot).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "matcher/internal/reference_data.h"
#include "matcher/units.h"

namespace market::matcher::internal {

inline constexpr Day kOpenEnded = INT32_MAX;

struct RestingRequest {
  uint64_t id = 0;        // accepting sequence: the id is "R<id>"
  uint64_t priority = 0;  // sequence that sets time priority
  ParticipantId sponsor = kNoId;
  RoleId role = kNoId;
  int32_t min_seniority = 1;
  int32_t max_vendors = 0;
  int64_t fte_milli = 0;  // as submitted
  int64_t remaining_milli = 0;
  int64_t min_slice_milli = 0;
  int64_t max_rate = 0;
  Day start_date = 0;
  Day end_date = 0;
  uint8_t engagement_mask = 0;                   // bit (1 << model); 0 = every model
  absl::InlinedVector<LocationId, 3> locations;  // as given
  absl::InlinedVector<TagId, 2> required_tags;
  absl::InlinedVector<ParticipantId, 2> allowlist;
  absl::InlinedVector<ParticipantId, 2> vendors_used;  // distinct vendors of all fills
  absl::InlinedVector<int32_t, 1> engagement_models;   // as given
  std::string client_ref;
};

struct RestingOffer {
  uint64_t id = 0;        // accepting sequence: the id is "O<id>"
  uint64_t priority = 0;  // sequence that sets time priority
  ParticipantId vendor = kNoId;
  RoleId role = kNoId;
  int32_t seniority = 0;
  LocationId country = kNoId;
  LocationId hub = kNoId;  // kNoId when none
  EngagementModel engagement_model = EngagementModel::kFsp;
  int64_t fte_milli = 0;  // as published
  int64_t remaining_milli = 0;
  int64_t min_slice_milli = 0;
  int64_t rate = 0;
  Day available_from = 0;
  Day available_until = kOpenEnded;
  absl::InlinedVector<TagId, 3> tags;  // as given
  std::string client_ref;
};

// The static fields a walk checks first, kept apart from the full record so
// that a rejected candidate costs one small read (24 bytes instead of ~200).
// Tag masks have bit (tag id % 64) set for each tag: a necessary condition
// for "required tags are a subset", confirmed on the full record.
struct OfferFilter {
  ParticipantId vendor = kNoId;
  Day available_from = 0;
  Day available_until = kOpenEnded;
  uint8_t engagement_model = 0;
  uint64_t tag_mask = 0;
};
struct RequestFilter {
  ParticipantId sponsor = kNoId;
  Day start_date = 0;
  Day end_date = 0;
  uint8_t engagement_mask = 0;  // 0 = every model
  bool has_allowlist = false;
  bool has_required_tags = false;
  uint64_t tag_mask = 0;
};

inline uint64_t TagMask(const absl::InlinedVector<TagId, 3>& tags) {
  uint64_t m = 0;
  for (TagId t : tags) m |= uint64_t{1} << (t % 64);
  return m;
}
inline uint64_t TagMask(const absl::InlinedVector<TagId, 2>& tags) {
  uint64_t m = 0;
  for (TagId t : tags) m |= uint64_t{1} << (t % 64);
  return m;
}

// Position in a bucket: ascending (price, priority). For offers the price is
// the rate; for requests it is -max_rate, so higher bids come first.
struct BookKey {
  int64_t price;
  uint64_t priority;
  uint32_t slot;
  bool operator<(const BookKey& o) const {
    return price != o.price ? price < o.price : priority < o.priority;
  }
};

using Bucket = absl::btree_set<BookKey>;

// Every order ever accepted: who owns it and whether it is still open.
struct OrderRef {
  uint32_t slot = 0;  // index in the side's slab while open
  ParticipantId owner = kNoId;
  Side side = Side::kRequest;
  bool open = false;
  bool exists = false;  // false for a sequence that accepted no order
};

// Walks several buckets as one sequence in key order, skipping an order met
// again through a second bucket. Buckets must not change during the walk.
class MergeCursor {
 public:
  // Adds a bucket unless it is empty or its best key's price is above `limit`.
  void Add(const Bucket* bucket, int64_t limit) {
    if (bucket != nullptr && !bucket->empty() && bucket->begin()->price <= limit) {
      heads_.push_back(Head{bucket->begin(), bucket->end()});
    }
  }
  // The next key, or nullptr at the end.
  const BookKey* Next() {
    while (true) {
      size_t best = heads_.size();
      for (size_t i = 0; i < heads_.size(); ++i) {
        if (heads_[i].it == heads_[i].end) continue;
        if (best == heads_.size() || *heads_[i].it < *heads_[best].it) best = i;
      }
      if (best == heads_.size()) return nullptr;
      const BookKey* key = &*heads_[best].it;
      ++heads_[best].it;
      if (have_last_ && key->priority == last_priority_) continue;
      have_last_ = true;
      last_priority_ = key->priority;
      return key;
    }
  }

 private:
  struct Head {
    Bucket::const_iterator it;
    Bucket::const_iterator end;
  };
  absl::InlinedVector<Head, 16> heads_;
  bool have_last_ = false;
  uint64_t last_priority_ = 0;
};

// Slabs of open orders, the id map and the bucket indexes.
class OrderBook {
 public:
  // Orders.
  const OrderRef* Find(uint64_t id) const {
    if (id == 0 || id > orders_.size() || !orders_[id - 1].exists) return nullptr;
    return &orders_[id - 1];
  }
  RestingRequest& request(uint32_t slot) { return requests_[slot]; }
  RestingOffer& offer(uint32_t slot) { return offers_[slot]; }
  const RestingRequest& request(uint32_t slot) const { return requests_[slot]; }
  const RestingOffer& offer(uint32_t slot) const { return offers_[slot]; }
  const RequestFilter& request_filter(uint32_t slot) const { return request_filters_[slot]; }
  const OfferFilter& offer_filter(uint32_t slot) const { return offer_filters_[slot]; }

  // Takes a slot for a new open order and records its id.
  uint32_t NewRequest(RestingRequest&& r);
  uint32_t NewOffer(RestingOffer&& o);
  // Marks the order closed and frees its slot; it must be out of the buckets.
  void CloseRequest(uint32_t slot);
  void CloseOffer(uint32_t slot);

  // Bucket membership.
  void Insert(uint32_t request_slot, const RestingRequest& r);
  void Remove(uint32_t request_slot, const RestingRequest& r);
  void Insert(uint32_t offer_slot, const RestingOffer& o);
  void Remove(uint32_t offer_slot, const RestingOffer& o);

  // Offers of exactly this seniority; requests of exactly this min_seniority.
  const Bucket* OfferBucket(RoleId role, int32_t seniority, LocationId loc) const {
    return Get(offer_buckets_, role, seniority, loc);
  }
  const Bucket* RequestBucket(RoleId role, int32_t min_seniority, LocationId loc) const {
    return Get(request_buckets_, role, min_seniority, loc);
  }

  size_t open_requests() const { return requests_.size() - free_requests_.size(); }
  size_t open_offers() const { return offers_.size() - free_offers_.size(); }
  // Indexed by id - 1 (ids are sequences); entries with !exists are not orders.
  const std::deque<OrderRef>& orders() const { return orders_; }

 private:
  using BucketMap = absl::flat_hash_map<uint64_t, Bucket>;
  static uint64_t BucketKey(RoleId role, int32_t seniority, LocationId loc) {
    return (static_cast<uint64_t>(role) << 32) | (static_cast<uint64_t>(loc) << 3) |
           static_cast<uint64_t>(seniority);
  }
  static const Bucket* Get(const BucketMap& map, RoleId role, int32_t seniority, LocationId loc) {
    auto it = map.find(BucketKey(role, seniority, loc));
    return it == map.end() || it->second.empty() ? nullptr : &it->second;
  }

  std::vector<RestingRequest> requests_;
  std::vector<RequestFilter> request_filters_;  // parallel to requests_
  std::vector<uint32_t> free_requests_;
  std::vector<RestingOffer> offers_;
  std::vector<OfferFilter> offer_filters_;  // parallel to offers_
  std::vector<uint32_t> free_offers_;
  OrderRef& Record(uint64_t id);  // grows the table up to id
  std::deque<OrderRef> orders_;   // chunked: growing never copies the table
  BucketMap offer_buckets_;
  BucketMap request_buckets_;
};

}  // namespace market::matcher::internal
