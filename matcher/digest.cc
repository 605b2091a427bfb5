// StateDigest: FNV-1a (64-bit) over a canonical serialisation of the engine.
// Everything is visited in an order that depends only on the state's content
// (codes, ids, sequences), never on hash-map layout or interning order.
#include <algorithm>
#include <string_view>
#include <vector>

#include "matcher/internal/engine_state.h"

namespace market::matcher::internal {
namespace {

class Fnv1a {
 public:
  void Bytes(const void* data, size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 1099511628211ULL;
    }
  }
  void U64(uint64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (8 * i));
    Bytes(b, 8);
  }
  void I64(int64_t v) { U64(static_cast<uint64_t>(v)); }
  void Str(std::string_view s) {
    U64(s.size());
    Bytes(s.data(), s.size());
  }
  uint64_t value() const { return h_; }

 private:
  uint64_t h_ = 14695981039346656037ULL;
};

template <typename Ids, typename Name>
std::vector<uint32_t> SortedIds(size_t n, Name name) {
  std::vector<uint32_t> ids(n);
  for (uint32_t i = 0; i < n; ++i) ids[i] = i;
  std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) { return name(a) < name(b); });
  return ids;
}

}  // namespace

uint64_t EngineState::Digest() const {
  Fnv1a h;
  h.U64(last_sequence);
  auto loc_code = [this](LocationId id) {
    return id == kNoId ? std::string_view() : ref.location_code(id);
  };

  h.Str("roles");
  for (uint32_t id :
       SortedIds<RoleId>(ref.role_count(), [this](uint32_t i) { return ref.role_code(i); })) {
    h.Str(ref.role_code(id));
    h.Str(ref.role(id).name);
    h.Str(ref.role(id).family);
  }
  h.Str("locations");
  for (uint32_t id : SortedIds<LocationId>(ref.location_count(), loc_code)) {
    h.Str(ref.location_code(id));
    h.U64(static_cast<uint64_t>(ref.location(id).kind));
    h.Str(loc_code(ref.location(id).parent));
  }
  h.Str("participants");
  for (uint32_t id : SortedIds<ParticipantId>(
           ref.participant_count(), [this](uint32_t i) { return ref.participant_id(i); })) {
    h.Str(ref.participant_id(id));
    h.U64(static_cast<uint64_t>(ref.participant(id).kind));
    h.Str(ref.participant(id).name);
  }

  h.Str("contracts");
  for (uint32_t id : SortedIds<ContractId>(contracts.size(), [this](uint32_t i) {
         return std::string_view(contracts.get(i).contract_id);
       })) {
    const Contract& c = contracts.get(id);
    h.Str(c.contract_id);
    h.Str(ref.participant_id(c.sponsor));
    h.Str(ref.participant_id(c.vendor));
    h.U64(c.active ? 1 : 0);
    h.I64(c.max_fte_milli);
    h.I64(c.used_fte_milli);
    const std::vector<RateCardRow> rows = SortedCard(c, ref);
    for (const RateCardRow& r : rows) {
      h.Str(r.role);
      h.I64(r.seniority);
      h.Str(r.country);
      h.I64(r.max_rate);
    }
  }

  h.Str("orders");
  for (uint64_t id = 1; id <= book.orders().size(); ++id) {
    const OrderRef& o = book.orders()[id - 1];
    if (!o.exists) continue;
    h.U64(id);
    h.U64(static_cast<uint64_t>(o.side));
    h.Str(ref.participant_id(o.owner));
    h.U64(o.open ? 1 : 0);
    if (!o.open) continue;
    if (o.side == Side::kRequest) {
      const RestingRequest& r = book.request(o.slot);
      h.U64(r.priority);
      h.Str(r.client_ref);
      h.Str(ref.role_code(r.role));
      h.I64(r.min_seniority);
      h.I64(r.max_vendors);
      h.I64(r.fte_milli);
      h.I64(r.remaining_milli);
      h.I64(r.min_slice_milli);
      h.I64(r.max_rate);
      h.I64(r.start_date);
      h.I64(r.end_date);
      h.U64(r.locations.size());
      for (LocationId l : r.locations) h.Str(ref.location_code(l));
      h.U64(r.required_tags.size());
      for (TagId t : r.required_tags) h.Str(ref.tag(t));
      h.U64(r.allowlist.size());
      for (ParticipantId v : r.allowlist) h.Str(ref.participant_id(v));
      h.U64(r.vendors_used.size());
      for (ParticipantId v : r.vendors_used) h.Str(ref.participant_id(v));
      h.U64(r.engagement_models.size());
      for (int32_t m : r.engagement_models) h.I64(m);
    } else {
      const RestingOffer& f = book.offer(o.slot);
      h.U64(f.priority);
      h.Str(f.client_ref);
      h.Str(ref.role_code(f.role));
      h.I64(f.seniority);
      h.Str(ref.location_code(f.country));
      h.Str(loc_code(f.hub));
      h.U64(static_cast<uint64_t>(f.engagement_model));
      h.I64(f.fte_milli);
      h.I64(f.remaining_milli);
      h.I64(f.min_slice_milli);
      h.I64(f.rate);
      h.I64(f.available_from);
      h.I64(f.available_until);
      h.U64(f.tags.size());
      for (TagId t : f.tags) h.Str(ref.tag(t));
    }
  }

  h.Str("client_refs");
  std::vector<std::pair<std::pair<std::string_view, std::string_view>, uint64_t>> refs;
  refs.reserve(client_refs.size());
  client_refs.ForEach([&](ParticipantId p, std::string_view client_ref, uint64_t first) {
    refs.push_back({{ref.participant_id(p), client_ref}, first});
  });
  std::sort(refs.begin(), refs.end());
  for (const auto& [k, first] : refs) {
    h.Str(k.first);
    h.Str(k.second);
    h.U64(first);
  }
  return h.value();
}

}  // namespace market::matcher::internal
