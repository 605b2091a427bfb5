// The resting book: open requests and offers, and the indexes the walk uses.
//
// Index design (see matcher/README.md): every resting order sits in small
// priority-ordered buckets keyed by (role, location):
//   offers:   (role, country) and, with a hub, also (role, hub);
//   requests: (role, L) for each distinct location L the request lists.
// An incoming request visits the offer buckets of the countries its listed
// regions hold now, of its listed countries and of its listed hubs; an
// incoming offer visits the request buckets of its region, country and hub.
// A MergeCursor walks those few buckets in one priority order, so a command
// touches only candidates of its role and allowed locations.
//
// Invariant: an order is in exactly the buckets above while it is open, and
// its BookKey there is (price key, priority sequence, slot).
#pragma once

#include <cstdint>
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
  uint32_t slot;  // index in the side's slab while open
  ParticipantId owner;
  Side side;
  bool open;
};

// Walks several buckets as one sequence in key order, skipping an order met
// again through a second bucket. Buckets must not change during the walk.
class MergeCursor {
 public:
  void Add(const Bucket* bucket) {
    if (!bucket->empty()) heads_.push_back(Head{bucket->begin(), bucket->end()});
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
    auto it = orders_.find(id);
    return it == orders_.end() ? nullptr : &it->second;
  }
  RestingRequest& request(uint32_t slot) { return requests_[slot]; }
  RestingOffer& offer(uint32_t slot) { return offers_[slot]; }
  const RestingRequest& request(uint32_t slot) const { return requests_[slot]; }
  const RestingOffer& offer(uint32_t slot) const { return offers_[slot]; }

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

  const Bucket* OfferBucket(RoleId role, LocationId loc) const {
    return Get(offer_buckets_, role, loc);
  }
  const Bucket* RequestBucket(RoleId role, LocationId loc) const {
    return Get(request_buckets_, role, loc);
  }

  size_t open_requests() const { return requests_.size() - free_requests_.size(); }
  size_t open_offers() const { return offers_.size() - free_offers_.size(); }
  const absl::flat_hash_map<uint64_t, OrderRef>& orders() const { return orders_; }

 private:
  using BucketMap = absl::flat_hash_map<uint64_t, Bucket>;
  static uint64_t BucketKey(RoleId role, LocationId loc) {
    return (static_cast<uint64_t>(role) << 32) | loc;
  }
  static const Bucket* Get(const BucketMap& map, RoleId role, LocationId loc) {
    auto it = map.find(BucketKey(role, loc));
    return it == map.end() || it->second.empty() ? nullptr : &it->second;
  }

  std::vector<RestingRequest> requests_;
  std::vector<uint32_t> free_requests_;
  std::vector<RestingOffer> offers_;
  std::vector<uint32_t> free_offers_;
  absl::flat_hash_map<uint64_t, OrderRef> orders_;
  BucketMap offer_buckets_;
  BucketMap request_buckets_;
};

}  // namespace market::matcher::internal
