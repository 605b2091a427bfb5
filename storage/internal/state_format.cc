#include "storage/internal/state_format.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <tuple>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace market::storage::internal {
namespace {

using matcher::EngineSnapshot;

// The status byte in front of an order body.
enum class OrderStatus : uint8_t { kOpenRequest = 1, kOpenOffer = 2, kClosed = 3 };

constexpr size_t kOrderKeySize = 1 + 8;
constexpr size_t kAssignmentKeySize = 1 + 8 + 4;

absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }

// ---- Writing.

void PutU8(std::string* out, uint8_t v) { out->push_back(static_cast<char>(v)); }

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void PutSigned(std::string* out, int64_t v) {
  PutVarint(out, (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

void PutString(std::string* out, std::string_view s) {
  PutVarint(out, s.size());
  out->append(s);
}

void PutStrings(std::string* out, const std::vector<std::string>& list) {
  PutVarint(out, list.size());
  for (const std::string& s : list) PutString(out, s);
}

void PutBigEndian(std::string* out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFFu));
  }
}

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (const char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

// Starts a body: cleared, then the version byte.
void Begin(std::string* body) {
  body->clear();
  PutU8(body, kStateRecordVersion);
}

void CodeKey(StateKind kind, std::string_view code, std::string* key) {
  key->clear();
  key->push_back(static_cast<char>(kind));
  key->append(code);
}

// ---- Reading. Every call checks what is left; a list count may not exceed
// the bytes left (each item takes at least one), so no count allocates more
// than the record's size.

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool U8(uint8_t* v) {
    if (in_.empty()) return false;
    *v = static_cast<uint8_t>(in_[0]);
    in_.remove_prefix(1);
    return true;
  }
  bool Varint(uint64_t* v) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      uint8_t byte = 0;
      if (!U8(&byte)) return false;
      if (shift == 63 && byte > 1) return false;  // more than 64 bits
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *v = result;
        return true;
      }
    }
    return false;
  }
  bool Signed(int64_t* v) {
    uint64_t u = 0;
    if (!Varint(&u)) return false;
    *v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool I32(int32_t* v) {
    int64_t wide = 0;
    if (!Signed(&wide) || wide < std::numeric_limits<int32_t>::min() ||
        wide > std::numeric_limits<int32_t>::max()) {
      return false;
    }
    *v = static_cast<int32_t>(wide);
    return true;
  }
  bool Bool(bool* v) {
    uint8_t byte = 0;
    if (!U8(&byte) || byte > 1) return false;
    *v = byte == 1;
    return true;
  }
  bool Count(size_t* n) {
    uint64_t count = 0;
    if (!Varint(&count) || count > in_.size()) return false;
    *n = static_cast<size_t>(count);
    return true;
  }
  bool String(std::string* s) {
    uint64_t size = 0;
    if (!Varint(&size) || size > in_.size()) return false;
    s->assign(in_.data(), static_cast<size_t>(size));
    in_.remove_prefix(static_cast<size_t>(size));
    return true;
  }
  bool Strings(std::vector<std::string>* list) {
    size_t n = 0;
    if (!Count(&n)) return false;
    list->resize(n);
    for (std::string& s : *list) {
      if (!String(&s)) return false;
    }
    return true;
  }
  bool Ints(std::vector<int32_t>* list) {
    size_t n = 0;
    if (!Count(&n)) return false;
    list->resize(n);
    for (int32_t& v : *list) {
      if (!I32(&v)) return false;
    }
    return true;
  }
  bool done() const { return in_.empty(); }

 private:
  std::string_view in_;
};

absl::Status Unparsable(std::string_view key, std::string_view what) {
  return absl::DataLossError(
      absl::StrCat("state record ", DescribeStateKey(key), " does not parse: ", AsAbsl(what)));
}

// Checks the version byte; the reader is left on the first field.
absl::Status ReadVersion(std::string_view key, Reader& r) {
  uint8_t version = 0;
  if (!r.U8(&version)) return Unparsable(key, "empty body");
  if (version != kStateRecordVersion) {
    return Unparsable(key,
                      absl::StrCat("record version ", version, ", expected ", kStateRecordVersion));
  }
  return absl::OkStatus();
}

// The field reads of one body: `ok` goes false at the first bad field and
// stays false; Done reports it, or trailing bytes.
absl::Status Done(std::string_view key, bool ok, const Reader& r) {
  if (!ok) return Unparsable(key, "a field is truncated or out of range");
  if (!r.done()) return Unparsable(key, "trailing bytes after the last field");
  return absl::OkStatus();
}

void EncodeRequestFields(const EngineSnapshot::OpenRequest& o, std::string* body) {
  const matcher::SubmitRequest& q = o.order;
  PutVarint(body, o.priority_sequence);
  PutSigned(body, o.remaining_milli);
  PutString(body, q.sponsor_id);
  PutString(body, q.client_ref);
  PutString(body, q.role);
  PutSigned(body, q.min_seniority);
  PutStrings(body, q.locations);
  PutSigned(body, q.fte_milli);
  PutSigned(body, q.min_slice_milli);
  PutSigned(body, q.max_vendors);
  PutSigned(body, q.max_rate);
  PutString(body, q.start_date);
  PutString(body, q.end_date);
  PutVarint(body, q.engagement_models.size());
  for (int32_t m : q.engagement_models) PutSigned(body, m);
  PutStrings(body, q.required_tags);
  PutStrings(body, q.vendor_allowlist);
  PutSigned(body, q.time_in_force);
  PutU8(body, q.all_or_none ? 1 : 0);
  PutStrings(body, o.vendors_used);
}

bool DecodeRequestFields(Reader& r, EngineSnapshot::OpenRequest* o) {
  matcher::SubmitRequest& q = o->order;
  return r.Varint(&o->priority_sequence) && r.Signed(&o->remaining_milli) &&
         r.String(&q.sponsor_id) && r.String(&q.client_ref) && r.String(&q.role) &&
         r.I32(&q.min_seniority) && r.Strings(&q.locations) && r.Signed(&q.fte_milli) &&
         r.Signed(&q.min_slice_milli) && r.I32(&q.max_vendors) && r.Signed(&q.max_rate) &&
         r.String(&q.start_date) && r.String(&q.end_date) && r.Ints(&q.engagement_models) &&
         r.Strings(&q.required_tags) && r.Strings(&q.vendor_allowlist) && r.I32(&q.time_in_force) &&
         r.Bool(&q.all_or_none) && r.Strings(&o->vendors_used);
}

void EncodeOfferFields(const EngineSnapshot::OpenOffer& o, std::string* body) {
  const matcher::PublishOffer& p = o.order;
  PutVarint(body, o.priority_sequence);
  PutSigned(body, o.remaining_milli);
  PutString(body, p.vendor_id);
  PutString(body, p.client_ref);
  PutString(body, p.role);
  PutSigned(body, p.seniority);
  PutString(body, p.country);
  PutString(body, p.hub);
  PutSigned(body, p.fte_milli);
  PutSigned(body, p.min_slice_milli);
  PutSigned(body, p.rate);
  PutString(body, p.available_from);
  PutString(body, p.available_until);
  PutSigned(body, p.engagement_model);
  PutStrings(body, p.tags);
  PutSigned(body, p.time_in_force);
}

bool DecodeOfferFields(Reader& r, EngineSnapshot::OpenOffer* o) {
  matcher::PublishOffer& p = o->order;
  return r.Varint(&o->priority_sequence) && r.Signed(&o->remaining_milli) &&
         r.String(&p.vendor_id) && r.String(&p.client_ref) && r.String(&p.role) &&
         r.I32(&p.seniority) && r.String(&p.country) && r.String(&p.hub) &&
         r.Signed(&p.fte_milli) && r.Signed(&p.min_slice_milli) && r.Signed(&p.rate) &&
         r.String(&p.available_from) && r.String(&p.available_until) &&
         r.I32(&p.engagement_model) && r.Strings(&p.tags) && r.I32(&p.time_in_force);
}

}  // namespace

// ---- Keys.

void RoleKey(std::string_view code, std::string* key) { CodeKey(StateKind::kRole, code, key); }
void LocationKey(std::string_view code, std::string* key) {
  CodeKey(StateKind::kLocation, code, key);
}
void ParticipantKey(std::string_view id, std::string* key) {
  CodeKey(StateKind::kParticipant, id, key);
}
void ContractKey(std::string_view contract_id, std::string* key) {
  CodeKey(StateKind::kContract, contract_id, key);
}
void UsageKey(std::string_view contract_id, std::string* key) {
  CodeKey(StateKind::kUsage, contract_id, key);
}

void OrderKey(uint64_t id, std::string* key) {
  key->clear();
  key->push_back(static_cast<char>(StateKind::kOrder));
  PutBigEndian(key, id, 8);
}

void ClientRefKey(std::string_view participant, std::string_view client_ref, std::string* key) {
  key->clear();
  key->push_back(static_cast<char>(StateKind::kClientRef));
  // Longer ids never pass the engine's checks; clamp so the key stays parsable.
  const size_t n = std::min<size_t>(participant.size(), 255);
  PutU8(key, static_cast<uint8_t>(n));
  key->append(participant.substr(0, n));
  key->append(client_ref);
}

void AssignmentKey(uint64_t sequence, uint32_t index, std::string* key) {
  key->clear();
  key->push_back(static_cast<char>(StateKind::kAssignment));
  PutBigEndian(key, sequence, 8);
  PutBigEndian(key, index, 4);
}

// ---- Bodies.

void EncodeRole(const matcher::DefineRole& role, std::string* body) {
  Begin(body);
  PutString(body, role.name);
  PutString(body, role.family);
}

void EncodeLocation(const matcher::DefineLocation& location, std::string* body) {
  Begin(body);
  PutSigned(body, location.kind);
  PutString(body, location.parent);
}

void EncodeParticipant(const matcher::UpsertParticipant& participant, std::string* body) {
  Begin(body);
  PutSigned(body, participant.kind);
  PutString(body, participant.name);
}

void EncodeContract(const matcher::UpsertContract& contract, std::string* body) {
  Begin(body);
  PutString(body, contract.sponsor_id);
  PutString(body, contract.vendor_id);
  PutU8(body, contract.active ? 1 : 0);
  PutSigned(body, contract.max_fte_milli);
  PutVarint(body, contract.rates.size());
  for (const matcher::RateCardEntry& e : contract.rates) {
    PutString(body, e.role);
    PutSigned(body, e.seniority);
    PutString(body, e.country);
    PutSigned(body, e.max_rate);
  }
}

void EncodeUsage(int64_t used_fte_milli, std::string* body) {
  Begin(body);
  PutSigned(body, used_fte_milli);
}

void EncodeOpenRequest(const EngineSnapshot::OpenRequest& request, std::string* body) {
  Begin(body);
  PutU8(body, static_cast<uint8_t>(OrderStatus::kOpenRequest));
  EncodeRequestFields(request, body);
}

void EncodeOpenOffer(const EngineSnapshot::OpenOffer& offer, std::string* body) {
  Begin(body);
  PutU8(body, static_cast<uint8_t>(OrderStatus::kOpenOffer));
  EncodeOfferFields(offer, body);
}

void EncodeClosedOrder(const EngineSnapshot::ClosedOrder& order, std::string* body) {
  Begin(body);
  PutU8(body, static_cast<uint8_t>(OrderStatus::kClosed));
  PutU8(body, static_cast<uint8_t>(order.side));
  PutString(body, order.owner);
}

void EncodeClientRefSequence(uint64_t sequence, std::string* body) {
  Begin(body);
  PutVarint(body, sequence);
}

void EncodeAssignment(std::string_view event_bytes, std::string* body) {
  Begin(body);
  body->append(event_bytes);
}

void EncodeLastSequence(uint64_t sequence, std::string* body) {
  Begin(body);
  PutVarint(body, sequence);
}

absl::Status ForEachSnapshotRecord(
    const EngineSnapshot& snapshot,
    const std::function<absl::Status(std::string_view key, std::string_view body)>& emit) {
  std::string key;
  std::string body;
  for (const matcher::DefineRole& role : snapshot.roles) {
    RoleKey(role.code, &key);
    EncodeRole(role, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  for (const matcher::DefineLocation& location : snapshot.locations) {
    LocationKey(location.code, &key);
    EncodeLocation(location, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  for (const matcher::UpsertParticipant& participant : snapshot.participants) {
    ParticipantKey(participant.id, &key);
    EncodeParticipant(participant, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  for (const EngineSnapshot::Contract& contract : snapshot.contracts) {
    ContractKey(contract.contract.contract_id, &key);
    EncodeContract(contract.contract, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
    UsageKey(contract.contract.contract_id, &key);
    EncodeUsage(contract.used_fte_milli, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  for (const EngineSnapshot::OpenRequest& request : snapshot.requests) {
    OrderKey(request.id, &key);
    EncodeOpenRequest(request, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  for (const EngineSnapshot::OpenOffer& offer : snapshot.offers) {
    OrderKey(offer.id, &key);
    EncodeOpenOffer(offer, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  for (const EngineSnapshot::ClosedOrder& closed : snapshot.closed) {
    OrderKey(closed.id, &key);
    EncodeClosedOrder(closed, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  for (const EngineSnapshot::ClientRef& ref : snapshot.client_refs) {
    ClientRefKey(ref.participant, ref.client_ref, &key);
    EncodeClientRefSequence(ref.sequence, &body);
    if (absl::Status s = emit(key, body); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> DecodeLastSequence(std::string_view body) {
  const std::string_view key = kStateLastSequenceKey;
  Reader r(body);
  if (absl::Status s = ReadVersion(key, r); !s.ok()) return s;
  uint64_t sequence = 0;
  const bool ok = r.Varint(&sequence);
  if (absl::Status s = Done(key, ok, r); !s.ok()) return s;
  return sequence;
}

std::string DescribeStateKey(std::string_view key) {
  const auto quoted = [](std::string_view s) {
    return absl::StrCat("\"", absl::CHexEscape(AsAbsl(s)), "\"");
  };
  const auto malformed = [&] { return absl::StrCat("key ", quoted(key)); };
  if (key.empty()) return malformed();
  const std::string_view rest = key.substr(1);
  switch (static_cast<StateKind>(key[0])) {
    case StateKind::kLastSequence:
      return rest.empty() ? "state last_sequence" : malformed();
    case StateKind::kRole:
      return absl::StrCat("role ", quoted(rest));
    case StateKind::kLocation:
      return absl::StrCat("location ", quoted(rest));
    case StateKind::kParticipant:
      return absl::StrCat("participant ", quoted(rest));
    case StateKind::kContract:
      return absl::StrCat("contract ", quoted(rest));
    case StateKind::kUsage:
      return absl::StrCat("contract usage ", quoted(rest));
    case StateKind::kOrder:
      if (key.size() != kOrderKeySize) return malformed();
      return absl::StrCat("order ", ReadBigEndian(rest));
    case StateKind::kAssignment:
      if (key.size() != kAssignmentKeySize) return malformed();
      return absl::StrCat("assignment ", ReadBigEndian(rest.substr(0, 8)), ".",
                          ReadBigEndian(rest.substr(8)));
    case StateKind::kClientRef: {
      if (rest.empty() || rest.size() < 1 + static_cast<size_t>(static_cast<uint8_t>(rest[0]))) {
        return malformed();
      }
      const size_t n = static_cast<uint8_t>(rest[0]);
      return absl::StrCat("client_ref ", quoted(rest.substr(1, n)), "/",
                          quoted(rest.substr(1 + n)));
    }
  }
  return malformed();
}

// ---- SnapshotBuilder.

absl::Status SnapshotBuilder::Add(std::string_view key, std::string_view body) {
  if (key.empty()) return Unparsable(key, "empty key");
  const auto kind = static_cast<StateKind>(key[0]);
  if (kind == StateKind::kAssignment) return absl::OkStatus();
  ++records_;
  const std::string_view code = key.substr(1);
  Reader r(body);
  if (absl::Status s = ReadVersion(key, r); !s.ok()) return s;
  bool ok = true;
  switch (kind) {
    case StateKind::kLastSequence: {
      if (!code.empty()) return Unparsable(key, "malformed key");
      ok = r.Varint(&snapshot_.last_sequence);
      has_last_sequence_ = ok;
      break;
    }
    case StateKind::kRole: {
      matcher::DefineRole& role = snapshot_.roles.emplace_back();
      role.code = code;
      ok = r.String(&role.name) && r.String(&role.family);
      break;
    }
    case StateKind::kLocation: {
      matcher::DefineLocation& location = snapshot_.locations.emplace_back();
      location.code = code;
      ok = r.I32(&location.kind) && r.String(&location.parent);
      break;
    }
    case StateKind::kParticipant: {
      matcher::UpsertParticipant& participant = snapshot_.participants.emplace_back();
      participant.id = code;
      ok = r.I32(&participant.kind) && r.String(&participant.name);
      break;
    }
    case StateKind::kContract: {
      matcher::UpsertContract& c = snapshot_.contracts.emplace_back().contract;
      c.contract_id = code;
      size_t rates = 0;
      ok = r.String(&c.sponsor_id) && r.String(&c.vendor_id) && r.Bool(&c.active) &&
           r.Signed(&c.max_fte_milli) && r.Count(&rates);
      if (ok) c.rates.resize(rates);
      for (size_t i = 0; ok && i < rates; ++i) {
        matcher::RateCardEntry& e = c.rates[i];
        ok = r.String(&e.role) && r.I32(&e.seniority) && r.String(&e.country) &&
             r.Signed(&e.max_rate);
      }
      break;
    }
    case StateKind::kUsage: {
      int64_t used = 0;
      ok = r.Signed(&used);
      usage_.emplace_back(std::string(code), used);
      break;
    }
    case StateKind::kOrder: {
      if (key.size() != kOrderKeySize) return Unparsable(key, "malformed key");
      const uint64_t id = ReadBigEndian(code);
      uint8_t status = 0;
      ok = r.U8(&status);
      if (!ok) break;
      switch (static_cast<OrderStatus>(status)) {
        case OrderStatus::kOpenRequest: {
          EngineSnapshot::OpenRequest& request = snapshot_.requests.emplace_back();
          request.id = id;
          ok = DecodeRequestFields(r, &request);
          break;
        }
        case OrderStatus::kOpenOffer: {
          EngineSnapshot::OpenOffer& offer = snapshot_.offers.emplace_back();
          offer.id = id;
          ok = DecodeOfferFields(r, &offer);
          break;
        }
        case OrderStatus::kClosed: {
          EngineSnapshot::ClosedOrder& closed = snapshot_.closed.emplace_back();
          closed.id = id;
          uint8_t side = 0;
          ok = r.U8(&side) && side <= static_cast<uint8_t>(matcher::Side::kOffer) &&
               r.String(&closed.owner);
          closed.side = static_cast<matcher::Side>(side);
          break;
        }
        default:
          return Unparsable(key, absl::StrCat("unknown order status ", status));
      }
      break;
    }
    case StateKind::kClientRef: {
      if (code.empty() || code.size() < 1 + static_cast<size_t>(static_cast<uint8_t>(code[0]))) {
        return Unparsable(key, "malformed key");
      }
      const size_t n = static_cast<uint8_t>(code[0]);
      EngineSnapshot::ClientRef& ref = snapshot_.client_refs.emplace_back();
      ref.participant = code.substr(1, n);
      ref.client_ref = code.substr(1 + n);
      ok = r.Varint(&ref.sequence);
      break;
    }
    default:
      return Unparsable(key, "unknown record kind");
  }
  return Done(key, ok, r);
}

namespace {
template <typename T>
void Append(std::vector<T>& to, std::vector<T>&& from) {
  if (to.empty()) {
    to = std::move(from);
    return;
  }
  to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
}
}  // namespace

void SnapshotBuilder::Absorb(SnapshotBuilder&& other) {
  EngineSnapshot& s = snapshot_;
  EngineSnapshot& o = other.snapshot_;
  if (other.has_last_sequence_) {
    s.last_sequence = o.last_sequence;
    has_last_sequence_ = true;
  }
  Append(s.roles, std::move(o.roles));
  Append(s.locations, std::move(o.locations));
  Append(s.participants, std::move(o.participants));
  Append(s.contracts, std::move(o.contracts));
  Append(s.requests, std::move(o.requests));
  Append(s.offers, std::move(o.offers));
  Append(s.closed, std::move(o.closed));
  Append(s.client_refs, std::move(o.client_refs));
  Append(usage_, std::move(other.usage_));
  records_ += other.records_;
}

absl::StatusOr<matcher::EngineSnapshot> SnapshotBuilder::Finish() && {
  EngineSnapshot& s = snapshot_;
  // Restore defines parents first: regions, then countries, then hubs.
  std::sort(s.locations.begin(), s.locations.end(),
            [](const matcher::DefineLocation& a, const matcher::DefineLocation& b) {
              return std::tie(a.kind, a.code) < std::tie(b.kind, b.code);
            });
  const auto by_id = [](const EngineSnapshot::Contract& a, const EngineSnapshot::Contract& b) {
    return a.contract.contract_id < b.contract.contract_id;
  };
  if (!std::is_sorted(s.contracts.begin(), s.contracts.end(), by_id)) {
    std::sort(s.contracts.begin(), s.contracts.end(), by_id);
  }
  if (!std::is_sorted(usage_.begin(), usage_.end())) std::sort(usage_.begin(), usage_.end());
  std::string key;
  size_t u = 0;
  for (EngineSnapshot::Contract& c : s.contracts) {
    if (u < usage_.size() && usage_[u].first < c.contract.contract_id) break;
    if (u == usage_.size() || usage_[u].first != c.contract.contract_id) {
      ContractKey(c.contract.contract_id, &key);
      return absl::DataLossError(
          absl::StrCat("state record ", DescribeStateKey(key), " has no usage record beside it"));
    }
    c.used_fte_milli = usage_[u++].second;
  }
  if (u < usage_.size()) {
    UsageKey(usage_[u].first, &key);
    return absl::DataLossError(
        absl::StrCat("state record ", DescribeStateKey(key), " has no contract record beside it"));
  }
  return std::move(snapshot_);
}

}  // namespace market::storage::internal
