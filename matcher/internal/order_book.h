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
// its BookEntry there is EntryOf(slot, order).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "matcher/internal/cache_hint.h"
#include "matcher/internal/reference_data.h"
#include "matcher/internal/slab.h"
#include "matcher/units.h"

namespace market::matcher::internal {

inline constexpr Day kOpenEnded = INT32_MAX;

// A record's short list of 4-byte ids or values. Four of them fit inline in
// the 16 bytes the heap pointer and capacity take anyway (24 bytes in all,
// as with one to three), so the lists of almost every order (up to four
// tags, models, locations or vendors) need no allocation.
template <typename T>
using SmallList = absl::InlinedVector<T, 4>;
static_assert(sizeof(SmallList<uint32_t>) == sizeof(absl::InlinedVector<uint32_t, 1>));

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
  uint8_t engagement_mask = 0;      // bit (1 << model); 0 = every model
  SmallList<LocationId> locations;  // as given
  SmallList<TagId> required_tags;
  SmallList<ParticipantId> allowlist;
  SmallList<ParticipantId> vendors_used;  // distinct vendors of all fills
  SmallList<int32_t> engagement_models;   // as given
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
  SmallList<TagId> tags;  // as given
  std::string client_ref;
};

// One resting order in a bucket. Sorted by (price, priority): for offers the
// price is the rate; for requests it is -max_rate, so higher bids come first.
// It also carries the order's static fields that the walk checks first, so a
// rejected candidate costs no read beyond the bucket itself:
//   offers:   party = vendor,  days = [available_from, available_until],
//             models = its engagement model, tags = mask of its tags;
//   requests: party = sponsor, days = [start_date, end_date],
//             models = mask of accepted models (0 = all), tags = mask of its
//             required tags, flags = kHasAllowlist | kHasRequiredTags.
// An offer's entry also names its country (kNoCountry when the id does not
// fit in 16 bits), so that a request's walk can start loading the card cap
// of a candidate before reading its record.
// A tag mask has bit (tag id % 32) per tag: "required is a subset of offered"
// implies (required_mask & ~offered_mask) == 0; the record confirms it.
struct BookEntry {
  int64_t price;
  uint64_t priority;
  uint32_t slot;
  ParticipantId party;
  Day day_from;
  Day day_to;
  uint32_t tags;
  uint8_t models;
  uint8_t flags;
  uint16_t country;
  static constexpr uint16_t kNoCountry = UINT16_MAX;
  static constexpr uint8_t kHasAllowlist = 1;
  static constexpr uint8_t kHasRequiredTags = 2;

  bool operator<(const BookEntry& o) const {
    return price != o.price ? price < o.price : priority < o.priority;
  }
};
static_assert(sizeof(BookEntry) == 40);

template <typename Tags>
uint32_t TagMask(const Tags& tags) {
  uint32_t m = 0;
  for (TagId t : tags) m |= uint32_t{1} << (t % 32);
  return m;
}

// A bucket holds the orders of one (role, location, seniority) as a vector
// sorted by (price, priority): buckets hold tens of orders, so a binary search
// and a short memmove beat a tree, and a walk reads its candidates
// sequentially. The best price is kept beside the vector so that a walk can
// skip a bucket past its limit without touching its entries.
//
// Invariant: best is the first entry's price, or kEmpty.
class Bucket {
 public:
  static constexpr int64_t kEmpty = INT64_MAX;

  int64_t best() const { return best_; }
  const std::vector<BookEntry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  // Starts loading the entries, up to `bytes` of them (a hint).
  void PrefetchEntries(size_t bytes) const {
    const char* p = reinterpret_cast<const char*>(entries_.data());
    const char* end = p + std::min(entries_.size() * sizeof(BookEntry), bytes);
    for (; p < end; p += 64) LoadHint(p);
  }
  // Adds e unless an entry of its priority is there; removes e if there.
  void Insert(const BookEntry& e);
  void Remove(const BookEntry& e);

 private:
  int64_t best_ = kEmpty;
  std::vector<BookEntry> entries_;
};

// All buckets of one side in one flat array indexed by (role, location,
// seniority), all dense ids: the five buckets of a (role, location) are
// adjacent, and finding them costs no pointer chase. Grows (moving the
// vectors, not their entries) when a new role or location is first used.
class SideIndex {
 public:
  // The kMaxSeniority buckets of (role, loc), [seniority - 1]; grows.
  Bucket* At(RoleId role, LocationId loc);
  // The same, or nullptr when nothing was ever indexed there.
  const Bucket* Find(RoleId role, LocationId loc) const {
    if (role >= roles_ || loc >= locations_) return nullptr;
    return &buckets_[(static_cast<size_t>(role) * locations_ + loc) * kMaxSeniority];
  }

 private:
  uint32_t roles_ = 0;
  uint32_t locations_ = 0;
  std::vector<Bucket> buckets_;
};

// Starts loading every cache line of *p.
template <typename T>
void PrefetchLines(const T* p) {
  const char* bytes = reinterpret_cast<const char*>(p);
  for (size_t i = 0; i < sizeof(T); i += 64) LoadHint(bytes + i);
  LoadHint(bytes + sizeof(T) - 1);
}

// Every order ever accepted: who owns it and whether it is still open.
struct OrderRef {
  uint32_t slot = 0;  // index in the side's slab while open
  ParticipantId owner = kNoId;
  Side side = Side::kRequest;
  bool open = false;
  bool exists = false;  // false for a sequence that accepted no order
};

// Walks several buckets as one sequence in (price, priority) order, skipping
// an order met again through a second bucket (duplicates are adjacent since
// keys are unique). Buckets must not change during the walk. One cursor
// serves walk after walk (Clear between them), so that its heads' storage,
// room for a region request's few dozen buckets, is allocated once.
class MergeCursor {
 public:
  MergeCursor() { heads_.reserve(kReservedHeads); }

  // Forgets the buckets added, keeping the storage.
  void Clear() { heads_.clear(); }

  // Starts loading the headers of the buckets lo..hi of `five`, so that the
  // Add calls that follow overlap their cache misses.
  static void Prefetch(const Bucket* five, int32_t lo, int32_t hi) {
    if (five == nullptr) return;
    const char* from = reinterpret_cast<const char*>(five + (lo - 1));
    const char* to = reinterpret_cast<const char*>(five + hi);
    for (const char* p = from; p < to; p += 64) LoadHint(p);
    LoadHint(to - 1);
  }

  // Adds the buckets of `five` (one location's, by seniority) for seniorities
  // lo..hi whose best price is at most `limit` (empty buckets have no best
  // price).
  void Add(const Bucket* five, int32_t lo, int32_t hi, int64_t limit) {
    if (five == nullptr) return;
    for (int32_t s = lo; s <= hi; ++s) {
      const Bucket& b = five[s - 1];
      if (b.best() <= limit) {
        const BookEntry* first = b.entries().data();
        const BookEntry* end = first + b.entries().size();
        // Overlap the first touches of every bucket: the first few lines,
        // where a walk's skipping scan spends most of its reads.
        const char* bytes = reinterpret_cast<const char*>(first);
        const char* stop = std::min(reinterpret_cast<const char*>(end), bytes + kPrefetchBytes);
        for (const char* p = bytes; p < stop; p += 64) LoadHint(p);
        heads_.push_back(Head{first, end, b.best(), kUnscanned});
      }
    }
  }

  // Calls visit(e) for the entries of price at most `limit` that keep(e)
  // accepts, in (price, priority) order, once per order, until visit returns
  // false. keep must depend on the entry alone (the order's static fields):
  // each bucket skips the entries it rejects on its own, a sequential scan,
  // so only accepted entries take part in the merge.
  template <typename Keep, typename Visit>
  void Walk(int64_t limit, Keep&& keep, Visit&& visit) {
    Walk(limit, keep, visit, [](const BookEntry&) {});
  }
  // The same, calling touch(e) when a bucket's next accepted entry is found,
  // before the merge compares it: a walk starts loading what visit will read
  // of that order while it finishes the other buckets.
  //
  // Buckets are scanned lazily: a bucket not yet scanned takes part in the
  // merge with the price of its next entry as a lower bound of what it can
  // still give, and is scanned only when that bound is the smallest. A walk
  // that stops early (the incoming order is filled) never scans the
  // buckets whose orders all come after its stopping point.
  template <typename Keep, typename Visit, typename Touch>
  void Walk(int64_t limit, Keep&& keep, Visit&& visit, Touch&& touch) {
    // Moves h to its next accepted entry within the limit; false when none.
    auto settle = [&](Head& h) {
      while (h.it != h.end && h.it->price <= limit && !keep(*h.it)) ++h.it;
      if (h.it == h.end || h.it->price > limit) return false;
      touch(*h.it);
      h.price = h.it->price;
      h.priority = h.it->priority;
      return true;
    };
    const bool use_heap = heads_.size() > kLinearHeads;
    if (use_heap) std::make_heap(heads_.begin(), heads_.end(), Later{});
    bool have_last = false;
    uint64_t last_priority = 0;
    while (!heads_.empty()) {
      // The head with the smallest key, moved to the back.
      if (use_heap) {
        std::pop_heap(heads_.begin(), heads_.end(), Later{});
      } else {
        size_t best = 0;
        for (size_t i = 1; i < heads_.size(); ++i) {
          if (Later{}(heads_[best], heads_[i])) best = i;
        }
        std::swap(heads_[best], heads_.back());
      }
      Head& top = heads_.back();
      if (top.priority == kUnscanned) {
        if (!settle(top)) {
          heads_.pop_back();
        } else if (use_heap) {
          std::push_heap(heads_.begin(), heads_.end(), Later{});
        }
        continue;
      }
      // The bucket that gives e is scanned on to its next candidate now,
      // before e is visited, so that the candidate's record starts loading
      // while e is (a bucket often gives several fills in a row).
      const BookEntry* e = top.it++;
      if (!settle(top)) {
        heads_.pop_back();
      } else if (use_heap) {
        std::push_heap(heads_.begin(), heads_.end(), Later{});
      }
      if (have_last && e->priority == last_priority) continue;  // met twice
      have_last = true;
      last_priority = e->priority;
      if (!visit(*e)) return;
    }
  }

 private:
  static constexpr size_t kLinearHeads = 6;
  static constexpr size_t kReservedHeads = 64;
  static constexpr ptrdiff_t kPrefetchBytes = 256;
  // Priorities are sequences, at least 1: a key (price, kUnscanned) comes
  // before every entry of that price.
  static constexpr uint64_t kUnscanned = 0;
  // A bucket being walked: its entries not yet returned, and its merge key:
  // (price, priority) of the accepted entry `it` points at, or (price of
  // `it`, kUnscanned) while the bucket has not been scanned from `it`.
  struct Head {
    const BookEntry* it;
    const BookEntry* end;
    int64_t price;
    uint64_t priority;
  };
  // Orders heads so that std::*_heap keeps the smallest key on top. A
  // function object, not a function: the heap algorithms then inline it
  // instead of calling through a pointer at every comparison.
  struct Later {
    bool operator()(const Head& a, const Head& b) const {
      return a.price != b.price ? a.price > b.price : a.priority > b.priority;
    }
  };

  std::vector<Head> heads_;
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

  // Takes a slot for a new open order and records its id.
  uint32_t NewRequest(RestingRequest&& r);
  uint32_t NewOffer(RestingOffer&& o);
  // Records an order that is already closed (restoring a snapshot).
  void RecordClosed(uint64_t id, ParticipantId owner, Side side) {
    Record(id) = OrderRef{0, owner, side, false, true};
  }
  // Marks the order closed and frees its slot; it must be out of the buckets.
  void CloseRequest(uint32_t slot);
  void CloseOffer(uint32_t slot);

  // The bucket entry of an open order, as inserted.
  static BookEntry EntryOf(uint32_t slot, const RestingRequest& r);
  static BookEntry EntryOf(uint32_t slot, const RestingOffer& o);

  // Prefetch hints for a command to come (a hint each; no effect on the book):
  // the record slot the next NewRequest / NewOffer fills,
  void PrefetchNewRequest() const {
    if (!free_requests_.empty()) PrefetchLines(&requests_[free_requests_.back()]);
  }
  void PrefetchNewOffer() const {
    if (!free_offers_.empty()) PrefetchLines(&offers_[free_offers_.back()]);
  }
  // the order's entry in the id table, and then its record,
  void PrefetchOrderRef(uint64_t id) const {
    if (id != 0 && id <= orders_.size()) LoadHint(&orders_[id - 1]);
  }
  void PrefetchRecord(uint64_t id) const {
    const OrderRef* o = Find(id);
    if (o == nullptr || !o->open) return;
    if (o->side == Side::kRequest) {
      PrefetchLines(&requests_[o->slot]);
    } else {
      PrefetchLines(&offers_[o->slot]);
    }
  }
  // and the headers of the buckets of (role, loc) for seniorities lo..hi.
  void PrefetchRequestBuckets(RoleId role, LocationId loc, int32_t lo, int32_t hi) const {
    MergeCursor::Prefetch(request_index_.Find(role, loc), lo, hi);
  }
  void PrefetchOfferBuckets(RoleId role, LocationId loc, int32_t lo, int32_t hi) const {
    MergeCursor::Prefetch(offer_index_.Find(role, loc), lo, hi);
  }

  // Starts loading what closing a resting order will read that its walk
  // has not: its entry in the id table and the headers of its buckets.
  template <typename Order>
  void PrefetchClose(const Order& order) const {
    PrefetchOrderRef(order.id);
    PrefetchInsert(order, false);
  }

  // Starts loading what Insert of the order will read, in two steps: with
  // `entries` false the headers of its buckets; with `entries` true (once
  // the headers have had time to arrive) the start of each bucket's entries.
  // Hints only: no effect on the book.
  void PrefetchInsert(const RestingRequest& r, bool entries) const;
  void PrefetchInsert(const RestingOffer& o, bool entries) const;

  // Bucket membership.
  void Insert(uint32_t request_slot, const RestingRequest& r);
  void Remove(uint32_t request_slot, const RestingRequest& r);
  void Insert(uint32_t offer_slot, const RestingOffer& o);
  void Remove(uint32_t offer_slot, const RestingOffer& o);

  // The buckets of (role, loc) by seniority (nullptr when none): offers of
  // exactly that seniority; requests of exactly that min_seniority.
  const Bucket* Offers(RoleId role, LocationId loc) const { return offer_index_.Find(role, loc); }
  const Bucket* Requests(RoleId role, LocationId loc) const {
    return request_index_.Find(role, loc);
  }

  size_t open_requests() const { return requests_.size() - free_requests_.size(); }
  size_t open_offers() const { return offers_.size() - free_offers_.size(); }
  // Indexed by id - 1 (ids are sequences); entries with !exists are not orders.
  const Slab<OrderRef>& orders() const { return orders_; }

 private:
  Slab<RestingRequest> requests_;
  std::vector<uint32_t> free_requests_;
  Slab<RestingOffer> offers_;
  std::vector<uint32_t> free_offers_;
  OrderRef& Record(uint64_t id);  // grows the table up to id; defined in .cc
  Slab<OrderRef> orders_;         // chunked: growing never copies the table
  SideIndex offer_index_;
  SideIndex request_index_;
};

}  // namespace market::matcher::internal
