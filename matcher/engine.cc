// Engine: validation (MATCHING.md "Validation", in its check order) and the
// application of each kind of command. Matching itself is in
// internal/matching.cc; the state digest in digest.cc.
#include "matcher/engine.h"

#include <algorithm>
#include <cassert>
#include <string>
#include <utility>

#include "matcher/internal/command_fields.h"
#include "matcher/internal/engine_state.h"
#include "matcher/internal/text.h"
#include "matcher/units.h"

namespace market::matcher {
namespace internal {
namespace {

// A field path such as "fte_milli", "locations[2]" or "rates[3].country",
// held as parts and turned into text only when a command is rejected.
struct Field {
  Field(const char* n) : name(n) {}  // NOLINT: implicit from a literal field name
  Field(std::string_view n, size_t i, std::string_view s = {}) : name(n), index(i), sub(s) {}
  std::string str() const {
    if (index == kNone) return std::string(name);
    return sub.empty() ? Cat(name, "[", index, "]") : Cat(name, "[", index, "].", sub);
  }
  static constexpr size_t kNone = SIZE_MAX;
  std::string_view name;
  size_t index = kNone;
  std::string_view sub;
};

Rejection Invalid(const Field& field, std::string message) {
  return Rejection{RejectCode::kInvalidArgument, field.str(), std::move(message)};
}
Rejection Denied(const Field& field, std::string message) {
  return Rejection{RejectCode::kPermissionDenied, field.str(), std::move(message)};
}

Field Indexed(std::string_view field, size_t i) { return Field(field, i); }
Field Indexed(std::string_view field, size_t i, std::string_view sub) {
  return Field(field, i, sub);
}

// A non-empty string of at most 128 bytes (ids, codes, client_ref).
Check RequireToken(std::string_view value, const Field& field) {
  if (value.empty()) return Invalid(field, Cat(field.str(), " must be set"));
  if (value.size() > kMaxStringBytes) {
    return Invalid(field, Cat(field.str(), " is longer than 128 bytes"));
  }
  return std::nullopt;
}

// A string of at most 128 bytes that may be empty (names, families).
Check LimitLength(std::string_view value, const Field& field) {
  if (value.size() > kMaxStringBytes) {
    return Invalid(field, Cat(field.str(), " is longer than 128 bytes"));
  }
  return std::nullopt;
}

Check InRange(int64_t value, int64_t lo, int64_t hi, const Field& field) {
  if (value < lo || value > hi) {
    return Invalid(field, Cat(field.str(), " must be in ", lo, "..", hi, ", got ", value));
  }
  return std::nullopt;
}

// 0 (unchanged in an amend; no ceiling in a contract) or in lo..hi.
Check ZeroOrInRange(int64_t value, int64_t lo, int64_t hi, const Field& field) {
  if (value != 0 && (value < lo || value > hi)) {
    return Invalid(field, Cat(field.str(), " must be 0 or in ", lo, "..", hi, ", got ", value));
  }
  return std::nullopt;
}

Check CountAtMost(size_t count, size_t limit, const Field& field) {
  if (count > limit) {
    return Invalid(field,
                   Cat(field.str(), " has ", count, " entries, at most ", limit, " allowed"));
  }
  return std::nullopt;
}

Check ParseDay(std::string_view text, const Field& field, Day* out) {
  auto day = ParseDate(text);
  if (!day) {
    return Invalid(field, Cat(field.str(), " must be a date YYYY-MM-DD in 2000-01-01..2199-12-31"));
  }
  *out = *day;
  return std::nullopt;
}

Check ParseTimeInForce(int32_t raw, TimeInForce* out) {
  if (raw < 0 || raw > 2) return Invalid("time_in_force", "unknown time_in_force");
  *out = raw == 0 ? TimeInForce::kGtc : static_cast<TimeInForce>(raw);
  return std::nullopt;
}

}  // namespace

// Executes one command against the state. One instance per command.
class CommandRun {
 public:
  CommandRun(EngineState& s, uint64_t sequence, const Command& command, EventSink& sink)
      : s_(s), cmd_(command), out_{sequence, &sink} {}

  Outcome Run() {
    Check rejection = std::visit([this](const auto& body) { return Apply(body); }, cmd_.body);
    if (rejection) {
      out_.Emit(CommandRejected{rejection->code, rejection->field, rejection->message});
      return Outcome{Outcome::Kind::kRejected, out_.next_index, 0};
    }
    if (duplicate_of_ != 0) return Outcome{Outcome::Kind::kDuplicate, 0, duplicate_of_};
    return Outcome{Outcome::Kind::kApplied, out_.next_index, 0};
  }

 private:
  uint64_t seq() const { return out_.sequence; }

  // ---- Check 1: the principal may act at all.
  Check RequireAdmin() const {
    if (cmd_.principal != "admin") {
      return Denied("principal", "reference data may only be changed by admin");
    }
    return std::nullopt;
  }

  // A known participant of `kind` acting as itself; sets *who.
  Check RequireParticipant(ParticipantKind kind, ParticipantId* who) const {
    const Principal p = ParsePrincipal(cmd_.principal);
    const bool sponsor = kind == ParticipantKind::kSponsor;
    const auto want = sponsor ? Principal::Kind::kSponsor : Principal::Kind::kVendor;
    const ParticipantId id = p.kind == want ? s_.ref.FindParticipant(p.id) : kNoId;
    if (!s_.ref.IsKind(id, kind)) {
      return Denied("principal", Cat("principal '", cmd_.principal, "' is not a known ",
                                     sponsor ? "sponsor" : "vendor"));
    }
    *who = id;
    return std::nullopt;
  }

  Check RequireOwnId(std::string_view value, const Field& field, ParticipantId who) const {
    if (!value.empty() && value != s_.ref.participant_id(who)) {
      return Denied(field, Cat(field.str(), " is not the caller's own id"));
    }
    return std::nullopt;
  }

  // ---- Checks 2, 4, 5 for amend, cancel, withdraw: the order's existence,
  // owner and state. Returns the order or nullptr (never existed).
  const OrderRef* FindOrder(std::string_view id, Side side) const {
    const uint64_t seq = ParseOrderId(id, side == Side::kRequest ? 'R' : 'O');
    if (seq == 0) return nullptr;
    const OrderRef* ref = s_.book.Find(seq);
    return ref != nullptr && ref->side == side ? ref : nullptr;
  }

  Check RequireNotOthers(const OrderRef* order, const Field& field, ParticipantId who) const {
    if (order != nullptr && order->owner != who) {
      return Denied(field, Cat(field.str(), " belongs to another participant"));
    }
    return std::nullopt;
  }

  static Check RequireOpen(const OrderRef* order, std::string_view id, const Field& field) {
    if (order == nullptr) {
      return Rejection{RejectCode::kNotFound, field.str(), Cat("order '", id, "' does not exist")};
    }
    if (!order->open) {
      return Rejection{RejectCode::kFailedPrecondition, field.str(),
                       Cat("order '", id, "' is already closed")};
    }
    return std::nullopt;
  }

  // ---- Check 7: a client_ref seen before makes the command a duplicate.
  // Remembers the client_ref for this command unless it was seen before, in
  // which case the command is a duplicate. Called last, once every other
  // check has passed, so only accepted commands use up their client_ref.
  // Starts loading the idempotency slot while the fields are validated.
  void PrefetchClientRef(ParticipantId who, std::string_view client_ref) {
    s_.client_refs.Prefetch(who, client_ref);
  }

  bool IsDuplicate(ParticipantId who, std::string_view client_ref) {
    duplicate_of_ = s_.client_refs.FindOrAdd(who, client_ref, seq());
    return duplicate_of_ != 0;
  }

  // ---- Shared field checks.
  Check RequireRole(std::string_view code, const Field& field, RoleId* out) const {
    if (auto c = RequireToken(code, field)) return c;
    *out = s_.ref.FindRole(code);
    if (*out == kNoId) return Invalid(field, Cat("unknown role '", code, "'"));
    return std::nullopt;
  }

  Check RequireLocation(std::string_view code, const Field& field, LocationKind kind,
                        LocationId* out) const {
    if (auto c = RequireToken(code, field)) return c;
    *out = s_.ref.FindLocation(code);
    if (*out == kNoId) return Invalid(field, Cat("unknown location '", code, "'"));
    if (kind != LocationKind::kUnspecified && s_.ref.location(*out).kind != kind) {
      return Invalid(field, Cat("location '", code, "' is not a ",
                                kind == LocationKind::kCountry ? "country" : "region"));
    }
    return std::nullopt;
  }

  Check RequireParticipantField(std::string_view id, const Field& field, ParticipantKind kind,
                                ParticipantId* out) const {
    if (auto c = RequireToken(id, field)) return c;
    *out = s_.ref.FindParticipant(id);
    if (!s_.ref.IsKind(*out, kind)) {
      return Invalid(field, Cat("'", id, "' is not a known ",
                                kind == ParticipantKind::kSponsor ? "sponsor" : "vendor"));
    }
    return std::nullopt;
  }

  Check CheckCardEntry(const RateCardEntry& e, std::string_view list, size_t i) const {
    RoleId role = kNoId;
    LocationId country = kNoId;
    if (auto c = RequireRole(e.role, Indexed(list, i, "role"), &role)) return c;
    if (auto c = InRange(e.seniority, kMinSeniority, kMaxSeniority, Indexed(list, i, "seniority")))
      return c;
    if (auto c = RequireLocation(e.country, Indexed(list, i, "country"), LocationKind::kCountry,
                                 &country))
      return c;
    return InRange(e.max_rate, kMinRate, kMaxRate, Indexed(list, i, "max_rate"));
  }

  Check CheckCardKey(const RateCardKey& k, std::string_view list, size_t i) const {
    RoleId role = kNoId;
    LocationId country = kNoId;
    if (auto c = RequireRole(k.role, Indexed(list, i, "role"), &role)) return c;
    if (auto c = InRange(k.seniority, kMinSeniority, kMaxSeniority, Indexed(list, i, "seniority")))
      return c;
    return RequireLocation(k.country, Indexed(list, i, "country"), LocationKind::kCountry,
                           &country);
  }

  uint64_t CardKey(std::string_view role, int32_t seniority, std::string_view country) const {
    return RateKey(s_.ref.FindRole(role), seniority, s_.ref.FindLocation(country));
  }

  // ---- Commands.
  Check Apply(const EmptyBody&) { return Invalid("body", "the command has no body"); }

  Check Apply(const SubmitRequest& c) {
    // Start loading every code's table slot before the first lookup, and
    // the record slot the request will fill.
    s_.ref.PrefetchParticipant(ParsePrincipal(cmd_.principal).id);
    s_.ref.PrefetchRole(c.role);
    for (const std::string& loc : c.locations) s_.ref.PrefetchLocation(loc);
    s_.book.PrefetchNewRequest();
    ParticipantId who = kNoId;
    if (auto r = RequireParticipant(ParticipantKind::kSponsor, &who)) return r;
    if (auto r = RequireOwnId(c.sponsor_id, "sponsor_id", who)) return r;
    PrefetchClientRef(who, c.client_ref);

    RestingRequest req;
    req.id = seq();
    req.priority = seq();
    req.sponsor = who;
    if (auto r = RequireToken(c.client_ref, "client_ref")) return r;
    if (auto r = RequireRole(c.role, "role", &req.role)) return r;
    req.min_seniority = c.min_seniority == 0 ? kMinSeniority : c.min_seniority;
    if (auto r = InRange(req.min_seniority, kMinSeniority, kMaxSeniority, "min_seniority"))
      return r;
    if (c.locations.empty()) return Invalid("locations", "locations must list at least one");
    if (auto r = CountAtMost(c.locations.size(), kMaxLocations, "locations")) return r;
    for (size_t i = 0; i < c.locations.size(); ++i) {
      LocationId loc = kNoId;
      if (auto r = RequireLocation(c.locations[i], Indexed("locations", i),
                                   LocationKind::kUnspecified, &loc))
        return r;
      if (!Contains(req.locations, loc)) req.locations.push_back(loc);
    }
    s_.PrefetchWalk(req);  // overlaps the rest of validation
    if (auto r = InRange(c.fte_milli, kMinFteMilli, kMaxFteMilli, "fte_milli")) return r;
    if (auto r = InRange(c.min_slice_milli, 0, c.fte_milli, "min_slice_milli")) return r;
    if (c.max_vendors < 0) return Invalid("max_vendors", "max_vendors must not be negative");
    if (auto r = InRange(c.max_rate, kMinRate, kMaxRate, "max_rate")) return r;
    if (auto r = ParseDay(c.start_date, "start_date", &req.start_date)) return r;
    if (auto r = ParseDay(c.end_date, "end_date", &req.end_date)) return r;
    if (req.end_date < req.start_date) return Invalid("end_date", "end_date is before start_date");
    if (auto r = CountAtMost(c.engagement_models.size(), kMaxEngagementModels, "engagement_models"))
      return r;
    for (size_t i = 0; i < c.engagement_models.size(); ++i) {
      const int32_t m = c.engagement_models[i];
      if (m < 1 || m > 3) {
        return Invalid(Indexed("engagement_models", i), "engagement model must be FSP, FSO or TM");
      }
      req.engagement_mask = static_cast<uint8_t>(req.engagement_mask | (1u << m));
    }
    if (auto r = CountAtMost(c.required_tags.size(), kMaxTags, "required_tags")) return r;
    for (size_t i = 0; i < c.required_tags.size(); ++i) {
      if (auto r = LimitLength(c.required_tags[i], Indexed("required_tags", i))) return r;
    }
    if (auto r = CountAtMost(c.vendor_allowlist.size(), kMaxAllowlistedVendors, "vendor_allowlist"))
      return r;
    for (size_t i = 0; i < c.vendor_allowlist.size(); ++i) {
      ParticipantId v = kNoId;
      if (auto r = RequireParticipantField(c.vendor_allowlist[i], Indexed("vendor_allowlist", i),
                                           ParticipantKind::kVendor, &v))
        return r;
      if (!Contains(req.allowlist, v)) req.allowlist.push_back(v);
    }
    TimeInForce tif = TimeInForce::kGtc;
    if (auto r = ParseTimeInForce(c.time_in_force, &tif)) return r;
    if (c.all_or_none && tif != TimeInForce::kIoc) {
      return Invalid("all_or_none", "all_or_none needs time_in_force IOC");
    }
    if (IsDuplicate(who, c.client_ref)) return std::nullopt;

    // Accepted.
    req.fte_milli = c.fte_milli;
    req.remaining_milli = c.fte_milli;
    req.min_slice_milli = c.min_slice_milli;
    req.max_vendors = c.max_vendors;
    req.max_rate = c.max_rate;
    for (int32_t m : c.engagement_models) req.engagement_models.push_back(m);
    for (const std::string& t : c.required_tags) req.required_tags.push_back(s_.ref.InternTag(t));
    req.client_ref = c.client_ref;
    const int32_t min_seniority = req.min_seniority;
    const uint32_t slot = s_.book.NewRequest(std::move(req));
    out_.Emit(RequestAccepted{seq(), &c, s_.ref.participant_id(who), min_seniority, tif});
    s_.MatchRequest(slot, tif, c.all_or_none, out_);
    return std::nullopt;
  }

  Check Apply(const PublishOffer& c) {
    // Start loading every code's table slot before the first lookup, and
    // the record slot the offer will fill.
    s_.ref.PrefetchParticipant(ParsePrincipal(cmd_.principal).id);
    s_.ref.PrefetchRole(c.role);
    s_.ref.PrefetchLocation(c.country);
    if (!c.hub.empty()) s_.ref.PrefetchLocation(c.hub);
    for (const std::string& t : c.tags) s_.ref.PrefetchTag(t);
    s_.book.PrefetchNewOffer();
    ParticipantId who = kNoId;
    if (auto r = RequireParticipant(ParticipantKind::kVendor, &who)) return r;
    if (auto r = RequireOwnId(c.vendor_id, "vendor_id", who)) return r;
    PrefetchClientRef(who, c.client_ref);

    RestingOffer off;
    off.id = seq();
    off.priority = seq();
    off.vendor = who;
    if (auto r = RequireToken(c.client_ref, "client_ref")) return r;
    if (auto r = RequireRole(c.role, "role", &off.role)) return r;
    if (auto r = InRange(c.seniority, kMinSeniority, kMaxSeniority, "seniority")) return r;
    if (auto r = RequireLocation(c.country, "country", LocationKind::kCountry, &off.country))
      return r;
    if (!c.hub.empty()) {
      if (auto r = RequireLocation(c.hub, "hub", LocationKind::kUnspecified, &off.hub)) return r;
      const Location& hub = s_.ref.location(off.hub);
      if (hub.kind != LocationKind::kHub || hub.parent != off.country) {
        return Invalid("hub", Cat("'", c.hub, "' is not a hub in ", c.country));
      }
    }
    off.seniority = c.seniority;
    s_.PrefetchWalk(off);  // overlaps the rest of validation
    if (auto r = InRange(c.fte_milli, kMinFteMilli, kMaxFteMilli, "fte_milli")) return r;
    if (auto r = InRange(c.min_slice_milli, 0, c.fte_milli, "min_slice_milli")) return r;
    if (auto r = InRange(c.rate, kMinRate, kMaxRate, "rate")) return r;
    if (auto r = ParseDay(c.available_from, "available_from", &off.available_from)) return r;
    if (!c.available_until.empty()) {
      if (auto r = ParseDay(c.available_until, "available_until", &off.available_until)) return r;
      if (off.available_until < off.available_from) {
        return Invalid("available_until", "available_until is before available_from");
      }
    }
    if (c.engagement_model < 0 || c.engagement_model > 3) {
      return Invalid("engagement_model", "unknown engagement_model");
    }
    off.engagement_model = c.engagement_model == 0
                               ? EngagementModel::kFsp
                               : static_cast<EngagementModel>(c.engagement_model);
    if (auto r = CountAtMost(c.tags.size(), kMaxTags, "tags")) return r;
    for (size_t i = 0; i < c.tags.size(); ++i) {
      if (auto r = LimitLength(c.tags[i], Indexed("tags", i))) return r;
    }
    TimeInForce tif = TimeInForce::kGtc;
    if (auto r = ParseTimeInForce(c.time_in_force, &tif)) return r;
    if (IsDuplicate(who, c.client_ref)) return std::nullopt;

    off.fte_milli = c.fte_milli;
    off.remaining_milli = c.fte_milli;
    off.min_slice_milli = c.min_slice_milli;
    off.rate = c.rate;
    for (const std::string& t : c.tags) off.tags.push_back(s_.ref.InternTag(t));
    off.client_ref = c.client_ref;
    const EngagementModel model = off.engagement_model;
    const uint32_t slot = s_.book.NewOffer(std::move(off));
    out_.Emit(OfferAccepted{seq(), &c, s_.ref.participant_id(who), model, tif});
    s_.MatchOffer(slot, tif, out_);
    return std::nullopt;
  }

  Check Apply(const AmendRequest& c) {
    ParticipantId who = kNoId;
    if (auto r = RequireParticipant(ParticipantKind::kSponsor, &who)) return r;
    const OrderRef* order = FindOrder(c.request_id, Side::kRequest);
    if (auto r = RequireNotOthers(order, "request_id", who)) return r;
    if (auto r = RequireToken(c.request_id, "request_id")) return r;
    if (auto r = RequireToken(c.client_ref, "client_ref")) return r;
    if (auto r = ZeroOrInRange(c.fte_milli, kMinFteMilli, kMaxFteMilli, "fte_milli")) return r;
    if (auto r = ZeroOrInRange(c.max_rate, kMinRate, kMaxRate, "max_rate")) return r;
    if (auto r = RequireOpen(order, c.request_id, "request_id")) return r;
    if (IsDuplicate(who, c.client_ref)) return std::nullopt;

    const uint32_t slot = order->slot;
    RestingRequest& req = s_.book.request(slot);
    const int64_t remaining = c.fte_milli == 0 ? req.remaining_milli : c.fte_milli;
    const int64_t max_rate = c.max_rate == 0 ? req.max_rate : c.max_rate;
    if (max_rate == req.max_rate && remaining <= req.remaining_milli) {
      req.remaining_milli = remaining;  // keeps priority, no new match
      out_.Emit(
          OrderAmended{Side::kRequest, req.id, remaining, max_rate, req.priority, c.client_ref});
      return std::nullopt;
    }
    s_.PrefetchWalk(req);
    s_.book.Remove(slot, req);
    req.remaining_milli = remaining;
    req.max_rate = max_rate;
    req.priority = seq();
    out_.Emit(
        OrderAmended{Side::kRequest, req.id, remaining, max_rate, req.priority, c.client_ref});
    s_.MatchRequest(slot, TimeInForce::kGtc, false, out_);
    return std::nullopt;
  }

  Check Apply(const AmendOffer& c) {
    ParticipantId who = kNoId;
    if (auto r = RequireParticipant(ParticipantKind::kVendor, &who)) return r;
    const OrderRef* order = FindOrder(c.offer_id, Side::kOffer);
    if (auto r = RequireNotOthers(order, "offer_id", who)) return r;
    if (auto r = RequireToken(c.offer_id, "offer_id")) return r;
    if (auto r = RequireToken(c.client_ref, "client_ref")) return r;
    if (auto r = ZeroOrInRange(c.fte_milli, kMinFteMilli, kMaxFteMilli, "fte_milli")) return r;
    if (auto r = ZeroOrInRange(c.rate, kMinRate, kMaxRate, "rate")) return r;
    if (auto r = RequireOpen(order, c.offer_id, "offer_id")) return r;
    if (IsDuplicate(who, c.client_ref)) return std::nullopt;

    const uint32_t slot = order->slot;
    RestingOffer& off = s_.book.offer(slot);
    const int64_t remaining = c.fte_milli == 0 ? off.remaining_milli : c.fte_milli;
    const int64_t rate = c.rate == 0 ? off.rate : c.rate;
    if (rate == off.rate && remaining <= off.remaining_milli) {
      off.remaining_milli = remaining;
      out_.Emit(OrderAmended{Side::kOffer, off.id, remaining, rate, off.priority, c.client_ref});
      return std::nullopt;
    }
    s_.PrefetchWalk(off);
    s_.book.Remove(slot, off);
    off.remaining_milli = remaining;
    off.rate = rate;
    off.priority = seq();
    out_.Emit(OrderAmended{Side::kOffer, off.id, remaining, rate, off.priority, c.client_ref});
    s_.MatchOffer(slot, TimeInForce::kGtc, out_);
    return std::nullopt;
  }

  Check Apply(const CancelRequest& c) {
    ParticipantId who = kNoId;
    if (auto r = RequireParticipant(ParticipantKind::kSponsor, &who)) return r;
    const OrderRef* order = FindOrder(c.request_id, Side::kRequest);
    if (auto r = RequireNotOthers(order, "request_id", who)) return r;
    if (auto r = RequireToken(c.request_id, "request_id")) return r;
    if (auto r = RequireOpen(order, c.request_id, "request_id")) return r;
    const uint32_t slot = order->slot;
    const uint64_t id = s_.book.request(slot).id;
    s_.book.Remove(slot, s_.book.request(slot));
    s_.book.CloseRequest(slot);
    out_.Emit(OrderClosed{Side::kRequest, id, CloseReason::kCancelled});
    return std::nullopt;
  }

  Check Apply(const WithdrawOffer& c) {
    ParticipantId who = kNoId;
    if (auto r = RequireParticipant(ParticipantKind::kVendor, &who)) return r;
    const OrderRef* order = FindOrder(c.offer_id, Side::kOffer);
    if (auto r = RequireNotOthers(order, "offer_id", who)) return r;
    if (auto r = RequireToken(c.offer_id, "offer_id")) return r;
    if (auto r = RequireOpen(order, c.offer_id, "offer_id")) return r;
    const uint32_t slot = order->slot;
    const uint64_t id = s_.book.offer(slot).id;
    s_.book.Remove(slot, s_.book.offer(slot));
    s_.book.CloseOffer(slot);
    out_.Emit(OrderClosed{Side::kOffer, id, CloseReason::kWithdrawn});
    return std::nullopt;
  }

  Check Apply(const DefineRole& c) {
    if (auto r = RequireAdmin()) return r;
    if (auto r = RequireToken(c.code, "code")) return r;
    if (auto r = LimitLength(c.name, "name")) return r;
    if (auto r = LimitLength(c.family, "family")) return r;
    s_.ref.DefineRole(c.code, c.name, c.family);
    out_.Emit(RoleDefined{&c});
    return std::nullopt;
  }

  Check Apply(const DefineLocation& c) {
    if (auto r = RequireAdmin()) return r;
    if (c.kind < 1 || c.kind > 3) return Invalid("kind", "kind must be REGION, COUNTRY or HUB");
    const auto kind = static_cast<LocationKind>(c.kind);
    if (auto r = RequireToken(c.code, "code")) return r;
    const LocationId existing = s_.ref.FindLocation(c.code);
    if (existing != kNoId && s_.ref.location(existing).kind != kind) {
      return Invalid("kind", Cat("location '", c.code, "' exists with another kind"));
    }
    LocationId parent = kNoId;
    if (kind == LocationKind::kRegion) {
      if (!c.parent.empty()) return Invalid("parent", "a region has no parent");
    } else {
      const LocationKind want =
          kind == LocationKind::kCountry ? LocationKind::kRegion : LocationKind::kCountry;
      if (auto r = RequireToken(c.parent, "parent")) return r;
      parent = s_.ref.FindLocation(c.parent);
      if (parent == kNoId || s_.ref.location(parent).kind != want) {
        return Invalid("parent", Cat("parent '", c.parent, "' is not a known ",
                                     want == LocationKind::kRegion ? "region" : "country"));
      }
    }
    s_.ref.DefineLocation(kind, c.code, parent);
    out_.Emit(LocationDefined{&c});
    return std::nullopt;
  }

  Check Apply(const UpsertParticipant& c) {
    if (auto r = RequireAdmin()) return r;
    if (auto r = RequireToken(c.id, "id")) return r;
    if (c.kind < 1 || c.kind > 2) return Invalid("kind", "kind must be SPONSOR or VENDOR");
    const auto kind = static_cast<ParticipantKind>(c.kind);
    const ParticipantId existing = s_.ref.FindParticipant(c.id);
    if (existing != kNoId && s_.ref.participant(existing).kind != kind) {
      return Invalid("kind", Cat("participant '", c.id, "' exists with another kind"));
    }
    if (auto r = LimitLength(c.name, "name")) return r;
    s_.ref.UpsertParticipant(c.id, kind, c.name);
    out_.Emit(ParticipantUpserted{&c});
    return std::nullopt;
  }

  Check Apply(const UpsertContract& c) {
    if (auto r = RequireAdmin()) return r;
    if (auto r = RequireToken(c.contract_id, "contract_id")) return r;
    const ContractId existing = s_.contracts.Find(c.contract_id);
    ParticipantId sponsor = kNoId;
    ParticipantId vendor = kNoId;
    if (auto r = RequireParticipantField(c.sponsor_id, "sponsor_id", ParticipantKind::kSponsor,
                                         &sponsor))
      return r;
    if (existing != kNoId && s_.contracts.get(existing).sponsor != sponsor) {
      return Invalid("sponsor_id", "a contract's sponsor never changes");
    }
    if (auto r =
            RequireParticipantField(c.vendor_id, "vendor_id", ParticipantKind::kVendor, &vendor))
      return r;
    if (existing != kNoId && s_.contracts.get(existing).vendor != vendor) {
      return Invalid("vendor_id", "a contract's vendor never changes");
    }
    if (auto r = ZeroOrInRange(c.max_fte_milli, 1, kMaxContractFteMilli, "max_fte_milli")) return r;
    if (auto r = CountAtMost(c.rates.size(), kMaxRateCardEntriesPerCommand, "rates")) return r;
    for (size_t i = 0; i < c.rates.size(); ++i) {
      if (auto r = CheckCardEntry(c.rates[i], "rates", i)) return r;
    }
    if (existing == kNoId && s_.contracts.FindPair(sponsor, vendor) != kNoId) {
      return Rejection{RejectCode::kAlreadyExists, "contract_id",
                       Cat("sponsor '", c.sponsor_id, "' and vendor '", c.vendor_id,
                           "' already have a contract")};
    }
    const ContractId id =
        existing != kNoId ? existing : s_.contracts.Create(c.contract_id, sponsor, vendor);
    Contract& contract = s_.contracts.get(id);
    contract.active = c.active;
    contract.max_fte_milli = c.max_fte_milli;
    s_.contracts.EditCard(id, [&](RateCard::Entries& card) {
      card.clear();
      card.reserve(c.rates.size());
      for (const RateCardEntry& e : c.rates) {
        card.insert_or_assign(CardKey(e.role, e.seniority, e.country), e.max_rate);
      }
    });
    const std::vector<RateCardRow> rows = SortedCard(contract, s_.ref);
    out_.Emit(ContractUpserted{&c, rows, contract.used_fte_milli});
    return std::nullopt;
  }

  Check Apply(const PatchRateCard& c) {
    if (auto r = RequireAdmin()) return r;
    if (auto r = RequireToken(c.contract_id, "contract_id")) return r;
    if (auto r = CountAtMost(c.upserts.size(), kMaxRateCardEntriesPerCommand, "upserts")) return r;
    for (size_t i = 0; i < c.upserts.size(); ++i) {
      if (auto r = CheckCardEntry(c.upserts[i], "upserts", i)) return r;
    }
    if (auto r = CountAtMost(c.removals.size(), kMaxRateCardEntriesPerCommand, "removals"))
      return r;
    for (size_t i = 0; i < c.removals.size(); ++i) {
      if (auto r = CheckCardKey(c.removals[i], "removals", i)) return r;
    }
    const ContractId id = s_.contracts.Find(c.contract_id);
    if (id == kNoId) {
      return Rejection{RejectCode::kNotFound, "contract_id",
                       Cat("contract '", c.contract_id, "' does not exist")};
    }
    Contract& contract = s_.contracts.get(id);
    s_.contracts.EditCard(id, [&](RateCard::Entries& card) {
      for (const RateCardKey& k : c.removals) card.erase(CardKey(k.role, k.seniority, k.country));
      for (const RateCardEntry& e : c.upserts) {
        card.insert_or_assign(CardKey(e.role, e.seniority, e.country), e.max_rate);
      }
    });
    out_.Emit(RateCardPatched{&c, static_cast<int64_t>(contract.card.size())});
    return std::nullopt;
  }

  template <typename Vec, typename T>
  static bool Contains(const Vec& v, T x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }

  EngineState& s_;
  const Command& cmd_;
  Emitter out_;
  uint64_t duplicate_of_ = 0;
};

}  // namespace internal

Engine::Engine() : state_(std::make_unique<internal::EngineState>()) {}
Engine::~Engine() = default;

Outcome Engine::Execute(uint64_t sequence, const Command& command, EventSink& sink) {
  assert(sequence == state_->last_sequence + 1);
  state_->last_sequence = sequence;
  return internal::CommandRun(*state_, sequence, command, sink).Run();
}

Outcome Engine::RejectMalformed(uint64_t sequence, std::string_view field, std::string_view message,
                                EventSink& sink) {
  assert(sequence == state_->last_sequence + 1);
  state_->last_sequence = sequence;
  sink.OnEvent(0, CommandRejected{RejectCode::kInvalidArgument, field, message});
  return Outcome{Outcome::Kind::kRejected, 1, 0};
}

void Engine::ReserveClientRefs(size_t keys) { state_->client_refs.Reserve(keys); }

uint64_t Engine::last_sequence() const { return state_->last_sequence; }
uint64_t Engine::StateDigest() const { return state_->Digest(); }
size_t Engine::open_requests() const { return state_->book.open_requests(); }
size_t Engine::open_offers() const { return state_->book.open_offers(); }

}  // namespace market::matcher
