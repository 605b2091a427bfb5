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

size_t Bucket::size() const {
  size_t n = 0;
  for (const Chunk& c : chunks_) n += c.entries.size();
  return n;
}

size_t Bucket::ChunkFor(const BookEntry& e) const {
  size_t lo = 0;
  size_t hi = chunks_.size() - 1;  // the last chunk takes anything past the end
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    const Chunk& c = chunks_[mid];
    const bool before =
        c.last_price != e.price ? c.last_price < e.price : c.last_priority < e.priority;
    if (before) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

void Bucket::Refresh(size_t chunk) {
  Chunk& c = chunks_[chunk];
  c.last_price = c.entries.back().price;
  c.last_priority = c.entries.back().priority;
  best_ = chunks_.front().entries.front().price;
}

void Bucket::Insert(const BookEntry& e) {
  if (chunks_.empty()) {
    chunks_.push_back(Chunk{e.price, e.priority, {e}});
    best_ = e.price;
    return;
  }
  const size_t i = ChunkFor(e);
  std::vector<BookEntry>& entries = chunks_[i].entries;
  auto at = std::lower_bound(entries.begin(), entries.end(), e);
  if (at != entries.end() && at->priority == e.priority) return;  // listed twice
  entries.insert(at, e);
  if (entries.size() > kChunk) {  // split in halves
    const auto half = static_cast<std::ptrdiff_t>(entries.size() / 2);
    Chunk upper{0, 0, std::vector<BookEntry>(entries.begin() + half, entries.end())};
    entries.resize(static_cast<size_t>(half));
    chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(i) + 1, std::move(upper));
    Refresh(i + 1);
  }
  Refresh(i);
}

void Bucket::Remove(const BookEntry& e) {
  if (chunks_.empty()) return;
  const size_t i = ChunkFor(e);
  std::vector<BookEntry>& entries = chunks_[i].entries;
  auto at = std::lower_bound(entries.begin(), entries.end(), e);
  if (at == entries.end() || at->priority != e.priority) return;
  entries.erase(at);
  if (!entries.empty()) {
    Refresh(i);
    return;
  }
  chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(i));
  best_ = chunks_.empty() ? kEmpty : chunks_.front().entries.front().price;
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
  const auto s = static_cast<size_t>(r.min_seniority - 1);
  for (LocationId loc : r.locations) request_index_.At(r.role, loc)[s].Insert(e);
}

void OrderBook::Remove(uint32_t slot, const RestingRequest& r) {
  const BookEntry e = EntryOf(slot, r);
  const auto s = static_cast<size_t>(r.min_seniority - 1);
  for (LocationId loc : r.locations) request_index_.At(r.role, loc)[s].Remove(e);
}

void OrderBook::Insert(uint32_t slot, const RestingOffer& o, LocationId region) {
  const BookEntry e = EntryOf(slot, o);
  const auto s = static_cast<size_t>(o.seniority - 1);
  offer_index_.At(o.role, o.country)[s].Insert(e);
  if (region != kNoId) offer_index_.At(o.role, region)[s].Insert(e);
  if (o.hub != kNoId) offer_index_.At(o.role, o.hub)[s].Insert(e);
}

void OrderBook::Remove(uint32_t slot, const RestingOffer& o, LocationId region) {
  const BookEntry e = EntryOf(slot, o);
  const auto s = static_cast<size_t>(o.seniority - 1);
  offer_index_.At(o.role, o.country)[s].Remove(e);
  if (region != kNoId) offer_index_.At(o.role, region)[s].Remove(e);
  if (o.hub != kNoId) offer_index_.At(o.role, o.hub)[s].Remove(e);
}

void OrderBook::MoveCountry(LocationId country, LocationId from, LocationId to) {
  for (uint32_t slot = 0; slot < offers_.size(); ++slot) {
    const RestingOffer& o = offers_[slot];
    if (o.id == 0 || o.country != country || !orders_[o.id - 1].open) continue;
    Remove(slot, o, from);
    Insert(slot, o, to);
  }
}

}  // namespace market::matcher::internal
