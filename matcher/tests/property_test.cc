// Randomized property tests of the matcher's invariants (MATCHING.md, API.md,
// docs/MATCHING_NOTES.md).
//
// Several seeds each drive a stream of generated commands (random_commands.h)
// through three engines in lock step:
//   A  the engine under test;
//   B  a replay of the same stream (determinism: equal events, equal digests;
//      a child process also replays the first kCrossProcessCommands commands);
//   C  a "no-op twin": it runs every command that A applied, and in place of
//      every command that A rejected or found duplicate it runs a command with
//      no body (rejected at once, field "body"), which only takes the sequence
//      number. StateDigest hashes the last sequence number, so "a rejected or
//      duplicate command changes no state" is checked as digest(A) ==
//      digest(C) after the command (see kStrictDigestCommands).
// After every command the test checks A's events against a shadow model of
// the market that it maintains from those events alone (open orders with
// their remaining, price, priority, owner and compatibility fields; contract
// usage from the fills; reference data and contracts from the accepted admin
// commands). The shadow also re-runs the spec's walk on its book and predicts
// the command's events; the engine must emit exactly those.
//
// One test per seed (16 x 6,400 commands by default): each runs its stream
// once and reports every invariant under its own name. A failure stops its
// seed and prints the seed, the sequence, the command, the engine's events,
// the spec model's events and the model's walk.
//
// Environment (for reproducing): MATCHER_PROPERTY_SEEDS=3,7 and
// MATCHER_PROPERTY_COMMANDS=N choose the seeds and the commands per seed;
// MATCHER_PROPERTY_TRACE=1 prints every command and its events to stderr;
// MATCHER_PROPERTY_STRICT_DIGESTS=1 compares digests after every rejected or
// duplicate command of the whole stream (slow: StateDigest is O(history)).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include "matcher/command.h"
#include "matcher/engine.h"
#include "matcher/event.h"
#include "matcher/internal/text.h"
#include "matcher/tests/random_commands.h"
#include "matcher/tests/recording_sink.h"
#include "matcher/units.h"

namespace market::matcher {
namespace {

using internal::Cat;
using testing::CodeName;
using testing::RandomCommandGenerator;
using testing::ReasonName;

constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();

// ---------------------------------------------------------------------------
// The invariants, one TEST each.

enum Invariant : size_t {
  kNoFillExceedsEitherSide,
  kFillsRespectPriceCaps,
  kFillsRespectMinSlices,
  kFillsRespectBlendLimit,
  kFillsRespectContractCeiling,
  kFillsOnlyPairCompatibleOrders,
  kFillsFollowPriceTimePriority,
  kAllOrNoneFillsWholeOrNothing,
  kFteIsConserved,
  kEventsFollowDocumentedOrder,
  kEventsMatchSpecModel,
  kRejectionsAreWholeAndChangeNothing,
  kDuplicatesAreSilentAndChangeNothing,
  kReplayIsDeterministic,
  kInvariantCount,
};

constexpr std::array<const char*, kInvariantCount> kInvariantNames = {
    "NoFillExceedsEitherSide",
    "FillsRespectPriceCaps",
    "FillsRespectMinSlices",
    "FillsRespectBlendLimit",
    "FillsRespectContractCeiling",
    "FillsOnlyPairCompatibleOrders",
    "FillsFollowPriceTimePriority",
    "AllOrNoneFillsWholeOrNothing",
    "FteIsConserved",
    "EventsFollowDocumentedOrder",
    "EventsMatchSpecModel",
    "RejectionsAreWholeAndChangeNothing",
    "DuplicatesAreSilentAndChangeNothing",
    "ReplayIsDeterministic",
};

// ---------------------------------------------------------------------------
// Text: readable commands and event lines.

// Long strings (the generator's 129-byte values) are shortened in dumps.
std::string Text(std::string_view s) {
  if (s.size() > 40) return Cat("<", s.size(), " bytes ", s.substr(0, 8), "...>");
  return Cat("\"", s, "\"");
}

template <typename T>
std::string List(const std::vector<T>& items) {
  std::string out = "[";
  if (items.size() > 8) return Cat("[", items.size(), " items]");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ",";
    if constexpr (std::is_same_v<T, std::string>) {
      out += Text(items[i]);
    } else {
      out += Cat(items[i]);
    }
  }
  return out + "]";
}

std::string CardText(const std::vector<RateCardEntry>& card) {
  std::string out = "[";
  for (const RateCardEntry& e : card) {
    out += Cat(e.role, "/", e.seniority, "/", e.country, ":", e.max_rate, " ");
  }
  return out + "]";
}

std::string DumpCommand(const Command& cmd) {
  struct V {
    std::string operator()(const EmptyBody&) { return "EmptyBody{}"; }
    std::string operator()(const SubmitRequest& c) {
      return Cat("SubmitRequest{sponsor_id=", Text(c.sponsor_id),
                 " client_ref=", Text(c.client_ref), " role=", Text(c.role),
                 " min_seniority=", c.min_seniority, " locations=", List(c.locations),
                 " fte_milli=", c.fte_milli, " min_slice_milli=", c.min_slice_milli,
                 " max_vendors=", c.max_vendors, " max_rate=", c.max_rate, " dates=", c.start_date,
                 "..", c.end_date, " engagement_models=", List(c.engagement_models),
                 " required_tags=", List(c.required_tags),
                 " vendor_allowlist=", List(c.vendor_allowlist), " time_in_force=", c.time_in_force,
                 " all_or_none=", c.all_or_none ? 1 : 0, "}");
    }
    std::string operator()(const PublishOffer& c) {
      return Cat("PublishOffer{vendor_id=", Text(c.vendor_id), " client_ref=", Text(c.client_ref),
                 " role=", Text(c.role), " seniority=", c.seniority, " country=", Text(c.country),
                 " hub=", Text(c.hub), " fte_milli=", c.fte_milli,
                 " min_slice_milli=", c.min_slice_milli, " rate=", c.rate,
                 " available=", c.available_from, "..", c.available_until,
                 " engagement_model=", c.engagement_model, " tags=", List(c.tags),
                 " time_in_force=", c.time_in_force, "}");
    }
    std::string operator()(const AmendRequest& c) {
      return Cat("AmendRequest{request_id=", Text(c.request_id), " client_ref=", Text(c.client_ref),
                 " fte_milli=", c.fte_milli, " max_rate=", c.max_rate, "}");
    }
    std::string operator()(const AmendOffer& c) {
      return Cat("AmendOffer{offer_id=", Text(c.offer_id), " client_ref=", Text(c.client_ref),
                 " fte_milli=", c.fte_milli, " rate=", c.rate, "}");
    }
    std::string operator()(const CancelRequest& c) {
      return Cat("CancelRequest{request_id=", Text(c.request_id), "}");
    }
    std::string operator()(const WithdrawOffer& c) {
      return Cat("WithdrawOffer{offer_id=", Text(c.offer_id), "}");
    }
    std::string operator()(const DefineRole& c) {
      return Cat("DefineRole{code=", Text(c.code), "}");
    }
    std::string operator()(const DefineLocation& c) {
      return Cat("DefineLocation{kind=", c.kind, " code=", Text(c.code), " parent=", Text(c.parent),
                 "}");
    }
    std::string operator()(const UpsertParticipant& c) {
      return Cat("UpsertParticipant{id=", Text(c.id), " kind=", c.kind, "}");
    }
    std::string operator()(const UpsertContract& c) {
      return Cat("UpsertContract{contract_id=", Text(c.contract_id),
                 " sponsor_id=", Text(c.sponsor_id), " vendor_id=", Text(c.vendor_id),
                 " active=", c.active ? 1 : 0, " max_fte_milli=", c.max_fte_milli,
                 " rates=", CardText(c.rates), "}");
    }
    std::string operator()(const PatchRateCard& c) {
      std::string removals = "[";
      for (const RateCardKey& k : c.removals) {
        removals += Cat(k.role, "/", k.seniority, "/", k.country, " ");
      }
      return Cat("PatchRateCard{contract_id=", Text(c.contract_id),
                 " upserts=", CardText(c.upserts), " removals=", removals, "]}");
    }
  };
  return Cat("principal=", cmd.principal, " ts=", cmd.timestamp_unix_nanos, " ",
             std::visit(V{}, cmd.body));
}

// Event lines: every field the spec model can predict. The engine's events
// and the model's prediction are both written with these.
std::string AcceptedLine(Side side, uint64_t id, std::string_view owner, int32_t min_seniority,
                         int32_t model, int32_t tif, std::string_view client_ref, int64_t fte) {
  if (side == Side::kRequest) {
    return Cat("RequestAccepted R", id, " sponsor=", owner, " min_seniority=", min_seniority,
               " tif=", tif, " ref=", client_ref, " fte=", fte);
  }
  return Cat("OfferAccepted O", id, " vendor=", owner, " model=", model, " tif=", tif,
             " ref=", client_ref, " fte=", fte);
}

struct FillFields {
  uint64_t request;
  uint64_t offer;
  std::string_view contract;
  std::string_view sponsor;
  std::string_view vendor;
  std::string_view role;
  int32_t seniority;
  std::string_view country;
  std::string_view hub;
  int64_t fte;
  int64_t rate;
  Day start;
  Day end;
  int64_t request_remaining;
  int64_t offer_remaining;
};

std::string FillLine(const FillFields& f) {
  return Cat("Assignment R", f.request, " O", f.offer, " ", f.fte, "@", f.rate, " ", f.contract,
             " ", f.sponsor, "/", f.vendor, " ", f.role, " s", f.seniority, " ", f.country,
             f.hub.empty() ? "" : "/", f.hub, " ", FormatDate(f.start), "..", FormatDate(f.end),
             " rem ", f.request_remaining, "/", f.offer_remaining);
}

std::string ClosedLine(Side side, uint64_t id, CloseReason reason) {
  return Cat(side == Side::kRequest ? "RequestClosed R" : "OfferClosed O", id, " ",
             ReasonName(reason));
}

std::string AmendedLine(Side side, uint64_t id, int64_t remaining, int64_t price, uint64_t priority,
                        std::string_view client_ref) {
  return Cat(side == Side::kRequest ? "RequestAmended R" : "OfferAmended O", id,
             " remaining=", remaining, " price=", price, " priority=", priority,
             " ref=", client_ref);
}

std::string RejectedLine(RejectCode code, std::string_view field) {
  return Cat("Rejected ", CodeName(code), " field=", field);
}

using CardKey = std::tuple<std::string, int32_t, std::string>;  // role, seniority, country
using Card = std::map<CardKey, int64_t>;                        // in canonical order

std::string ContractLine(std::string_view id, std::string_view sponsor, std::string_view vendor,
                         bool active, int64_t max_fte, int64_t used, std::string_view card) {
  return Cat("ContractUpserted ", id, " ", sponsor, "/", vendor, " active=", active ? 1 : 0,
             " max=", max_fte, " used=", used, " card=[", card, "]");
}

std::string CardRow(std::string_view role, int32_t seniority, std::string_view country,
                    int64_t rate) {
  return Cat(role, "/", seniority, "/", country, ":", rate, " ");
}

// ---------------------------------------------------------------------------
// Capturing the engine's events (views are copied during OnEvent).

struct Captured {
  enum class Kind : uint8_t {
    kRequestAccepted,
    kOfferAccepted,
    kAssignment,
    kClosed,
    kAmended,
    kRejected,
    kRoleDefined,
    kLocationDefined,
    kParticipantUpserted,
    kContractUpserted,
    kRateCardPatched,
  };
  uint32_t index = 0;
  Kind kind = Kind::kRejected;
  std::string line;     // what the spec model predicts
  std::string message;  // a rejection's message: compared between replays only

  // Accepted, closed, amended: the order and its side.
  uint64_t order = 0;
  Side side = Side::kRequest;
  std::string owner;
  TimeInForce tif = TimeInForce::kUnspecified;
  CloseReason reason = CloseReason::kUnspecified;
  int64_t remaining = 0;  // amended
  int64_t price = 0;      // amended
  uint64_t priority = 0;  // amended
  std::string client_ref;
  // Assignment.
  uint64_t request = 0;
  uint64_t offer = 0;
  std::string contract;
  std::string sponsor;
  std::string vendor;
  std::string role;
  int32_t seniority = 0;
  std::string country;
  std::string hub;
  int64_t fte = 0;
  int64_t rate = 0;
  Day start = 0;
  Day end = 0;
  int64_t request_remaining = 0;
  int64_t offer_remaining = 0;
  // Rejected.
  RejectCode code = RejectCode::kInvalidArgument;
  std::string field;
  // Contract upserted / card patched.
  int64_t used = 0;
  int64_t rate_count = 0;
};

class CapturingSink final : public EventSink {
 public:
  void OnEvent(uint32_t index, const Event& event) override {
    Captured c;
    c.index = index;
    std::visit([&c](const auto& e) { Capture(c, e); }, event);
    events.push_back(std::move(c));
  }

  std::vector<Captured> events;

 private:
  using K = Captured::Kind;
  static void Capture(Captured& c, const RequestAccepted& e) {
    c.kind = K::kRequestAccepted;
    c.order = e.request_sequence;
    c.side = Side::kRequest;
    c.owner = std::string(e.sponsor_id);
    c.tif = e.time_in_force;
    c.client_ref = e.order->client_ref;
    c.line = AcceptedLine(Side::kRequest, e.request_sequence, e.sponsor_id, e.min_seniority, 0,
                          static_cast<int32_t>(e.time_in_force), e.order->client_ref,
                          e.order->fte_milli);
  }
  static void Capture(Captured& c, const OfferAccepted& e) {
    c.kind = K::kOfferAccepted;
    c.order = e.offer_sequence;
    c.side = Side::kOffer;
    c.owner = std::string(e.vendor_id);
    c.tif = e.time_in_force;
    c.client_ref = e.order->client_ref;
    c.line = AcceptedLine(
        Side::kOffer, e.offer_sequence, e.vendor_id, 0, static_cast<int32_t>(e.engagement_model),
        static_cast<int32_t>(e.time_in_force), e.order->client_ref, e.order->fte_milli);
  }
  static void Capture(Captured& c, const AssignmentCreated& e) {
    c.kind = K::kAssignment;
    c.request = e.request_sequence;
    c.offer = e.offer_sequence;
    c.contract = std::string(e.contract_id);
    c.sponsor = std::string(e.sponsor_id);
    c.vendor = std::string(e.vendor_id);
    c.role = std::string(e.role);
    c.seniority = e.seniority;
    c.country = std::string(e.country);
    c.hub = std::string(e.hub);
    c.fte = e.fte_milli;
    c.rate = e.rate;
    c.start = e.start_date;
    c.end = e.end_date;
    c.request_remaining = e.request_remaining_milli;
    c.offer_remaining = e.offer_remaining_milli;
    c.line =
        FillLine({e.request_sequence, e.offer_sequence, e.contract_id, e.sponsor_id, e.vendor_id,
                  e.role, e.seniority, e.country, e.hub, e.fte_milli, e.rate, e.start_date,
                  e.end_date, e.request_remaining_milli, e.offer_remaining_milli});
  }
  static void Capture(Captured& c, const OrderClosed& e) {
    c.kind = K::kClosed;
    c.side = e.side;
    c.order = e.order_sequence;
    c.reason = e.reason;
    c.line = ClosedLine(e.side, e.order_sequence, e.reason);
  }
  static void Capture(Captured& c, const OrderAmended& e) {
    c.kind = K::kAmended;
    c.side = e.side;
    c.order = e.order_sequence;
    c.remaining = e.remaining_milli;
    c.price = e.price;
    c.priority = e.priority_sequence;
    c.client_ref = std::string(e.client_ref);
    c.line = AmendedLine(e.side, e.order_sequence, e.remaining_milli, e.price, e.priority_sequence,
                         e.client_ref);
  }
  static void Capture(Captured& c, const CommandRejected& e) {
    c.kind = K::kRejected;
    c.code = e.code;
    c.field = std::string(e.field);
    c.message = std::string(e.message);
    c.line = RejectedLine(e.code, e.field);
  }
  static void Capture(Captured& c, const RoleDefined& e) {
    c.kind = K::kRoleDefined;
    c.line = Cat("RoleDefined ", e.command->code);
  }
  static void Capture(Captured& c, const LocationDefined& e) {
    c.kind = K::kLocationDefined;
    c.line = Cat("LocationDefined ", e.command->kind, " ", e.command->code,
                 " parent=", e.command->parent);
  }
  static void Capture(Captured& c, const ParticipantUpserted& e) {
    c.kind = K::kParticipantUpserted;
    c.line = Cat("ParticipantUpserted ", e.command->id, " kind=", e.command->kind);
  }
  static void Capture(Captured& c, const ContractUpserted& e) {
    c.kind = K::kContractUpserted;
    c.used = e.used_fte_milli;
    std::string card;
    for (const RateCardRow& row : e.rates) {
      card += CardRow(row.role, row.seniority, row.country, row.max_rate);
    }
    c.line = ContractLine(e.command->contract_id, e.command->sponsor_id, e.command->vendor_id,
                          e.command->active, e.command->max_fte_milli, e.used_fte_milli, card);
  }
  static void Capture(Captured& c, const RateCardPatched& e) {
    c.kind = K::kRateCardPatched;
    c.rate_count = e.rate_count;
    c.line = Cat("RateCardPatched ", e.command->contract_id, " count=", e.rate_count);
  }
};

std::string EventsText(const std::vector<Captured>& events) {
  std::string out;
  for (const Captured& e : events) {
    out += Cat("    ", e.index, ": ", e.line);
    if (!e.message.empty()) out += Cat(" (", e.message, ")");
    out += "\n";
  }
  return out.empty() ? "    (none)\n" : out;
}

std::string LinesText(const std::vector<std::string>& lines) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) out += Cat("    ", i, ": ", lines[i], "\n");
  return out.empty() ? "    (none)\n" : out;
}

// ---------------------------------------------------------------------------
// The shadow market: a model of the engine's state kept from its events, and
// the spec's rules written out plainly (no indexes: every walk looks at every
// open order of the other side).

struct ShadowContract {
  std::string id;
  std::string sponsor;
  std::string vendor;
  bool active = false;
  int64_t max_fte_milli = 0;
  int64_t used = 0;
  Card card;

  int64_t Headroom() const {
    if (max_fte_milli == 0) return kNoLimit;
    return max_fte_milli > used ? max_fte_milli - used : 0;
  }
};

struct ShadowOrder {
  uint64_t id = 0;
  Side side = Side::kRequest;
  std::string owner;
  std::string client_ref;
  std::string role;
  bool open = true;
  uint64_t priority = 0;
  int64_t remaining = 0;
  int64_t price = 0;  // max_rate or rate
  int64_t min_slice = 0;
  // FTE accounting: ordered = fte at accept, moved by amends (the new
  // remaining minus the old); ordered == filled + remaining (open) or
  // filled + closed_remainder (closed).
  int64_t ordered = 0;
  int64_t filled = 0;
  int64_t closed_remainder = 0;
  CloseReason close_reason = CloseReason::kUnspecified;
  // A request's fields.
  int32_t min_seniority = 1;
  std::vector<std::string> locations;
  int32_t max_vendors = 0;
  Day start = 0;
  Day end = 0;
  std::vector<int32_t> models;
  std::vector<std::string> required_tags;
  std::vector<std::string> allowlist;
  std::vector<std::string> vendors_used;  // of all its fills, amends included
  // An offer's fields.
  int32_t seniority = 0;
  std::string country;
  std::string hub;
  Day from = 0;
  std::optional<Day> until;
  int32_t model = 1;
  std::vector<std::string> tags;
};

struct PlannedFill {
  uint64_t request;
  uint64_t offer;
  int64_t fte;
  bool operator==(const PlannedFill&) const = default;
};

std::string FillsText(const std::vector<PlannedFill>& fills) {
  std::string out;
  for (const PlannedFill& f : fills) out += Cat(" R", f.request, "/O", f.offer, ":", f.fte);
  return out.empty() ? " (none)" : out;
}

struct WalkStats {
  uint64_t incompatible = 0;
  std::map<std::string, uint64_t> reasons;  // why pairs were incompatible
  uint64_t slice = 0;
  uint64_t blend = 0;
  uint64_t headroom = 0;
};

struct Prediction {
  Outcome::Kind kind = Outcome::Kind::kApplied;
  std::vector<std::string> lines;
  std::vector<PlannedFill> fills;
  std::vector<std::string> walk;  // the model's walk, candidate by candidate
  uint64_t original_sequence = 0;
  WalkStats stats;
};

struct Rejection {
  RejectCode code;
  std::string field;
};
using Check = std::optional<Rejection>;

Check Invalid(std::string field) {
  return Rejection{RejectCode::kInvalidArgument, std::move(field)};
}
Check Denied(std::string field) {
  return Rejection{RejectCode::kPermissionDenied, std::move(field)};
}
bool Token(std::string_view s) { return !s.empty() && s.size() <= kMaxStringBytes; }
std::string At(std::string_view field, size_t i) { return Cat(field, "[", i, "]"); }
std::string At(std::string_view field, size_t i, std::string_view sub) {
  return Cat(field, "[", i, "].", sub);
}
template <typename T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Collects the invariant failures of one command.
class Reporter {
 public:
  void Fail(Invariant invariant, std::string message) {
    failures.emplace_back(invariant, std::move(message));
  }
  std::vector<std::pair<Invariant, std::string>> failures;
};

class ShadowMarket {
 public:
  // ---- Prediction: what the spec says this command does.
  Prediction Predict(uint64_t seq, const Command& cmd) const {
    return std::visit([&](const auto& body) { return PredictBody(seq, cmd.principal, body); },
                      cmd.body);
  }

  // ---- Applying the engine's events, checking each against the model.
  // Returns false when the events cannot be applied (the model is lost).
  bool Apply(uint64_t seq, const Command& cmd, const std::vector<Captured>& events, Reporter& rep,
             std::set<uint64_t>& touched) {
    using K = Captured::Kind;
    for (const Captured& e : events) {
      switch (e.kind) {
        case K::kRequestAccepted:
        case K::kOfferAccepted:
          if (e.order != seq) {
            rep.Fail(kEventsFollowDocumentedOrder,
                     Cat("accepted order id ", e.order, " is not the command's sequence ", seq));
            return false;
          }
          if (!AddOrder(seq, cmd, e)) {
            rep.Fail(kEventsMatchSpecModel, "an accept event for a command of another kind");
            return false;
          }
          touched.insert(seq);
          break;
        case K::kAssignment:
          if (!ApplyFill(e, rep)) return false;
          touched.insert(e.request);
          touched.insert(e.offer);
          break;
        case K::kClosed:
          if (!ApplyClose(e, rep)) return false;
          touched.insert(e.order);
          break;
        case K::kAmended:
          if (!ApplyAmend(seq, e, rep)) return false;
          touched.insert(e.order);
          break;
        case K::kRejected:
          break;
        case K::kRoleDefined:
          if (const auto* c = std::get_if<DefineRole>(&cmd.body)) roles_.insert(c->code);
          break;
        case K::kLocationDefined:
          if (const auto* c = std::get_if<DefineLocation>(&cmd.body)) {
            locations_[c->code] = Location{c->kind, c->parent};
          }
          break;
        case K::kParticipantUpserted:
          if (const auto* c = std::get_if<UpsertParticipant>(&cmd.body)) {
            participants_[c->id] = c->kind;
          }
          break;
        case K::kContractUpserted: {
          const auto* cp = std::get_if<UpsertContract>(&cmd.body);
          if (cp == nullptr) {
            rep.Fail(kEventsFollowDocumentedOrder, "ContractUpserted for another command");
            return false;
          }
          const UpsertContract& c = *cp;
          auto it = contracts_.find(c.contract_id);
          const int64_t used = it == contracts_.end() ? 0 : it->second.used;
          if (e.used != used) {
            rep.Fail(kFteIsConserved,
                     Cat("ContractUpserted reports used_fte_milli ", e.used,
                         " but the fills under ", c.contract_id, " sum to ", used));
          }
          ShadowContract& k = contracts_[c.contract_id];
          k.id = c.contract_id;
          k.sponsor = c.sponsor_id;
          k.vendor = c.vendor_id;
          k.active = c.active;
          k.max_fte_milli = c.max_fte_milli;
          k.card = MakeCard(c.rates);
          contract_by_pair_[{c.sponsor_id, c.vendor_id}] = c.contract_id;
          break;
        }
        case K::kRateCardPatched: {
          const auto* c = std::get_if<PatchRateCard>(&cmd.body);
          auto it = c == nullptr ? contracts_.end() : contracts_.find(c->contract_id);
          if (it == contracts_.end()) {
            rep.Fail(kEventsFollowDocumentedOrder, "RateCardPatched of no known contract");
            return false;
          }
          PatchCard(it->second.card, *c);
          break;
        }
      }
    }
    return true;
  }

  // FTE accounting of the orders a command touched, and the book size.
  void CheckConservation(const std::set<uint64_t>& touched, size_t engine_open_requests,
                         size_t engine_open_offers, Reporter& rep) const {
    for (uint64_t id : touched) {
      auto it = orders_.find(id);
      if (it == orders_.end()) continue;
      const ShadowOrder& o = it->second;
      const int64_t rest = o.open ? o.remaining : o.closed_remainder;
      if (o.ordered != o.filled + rest) {
        rep.Fail(kFteIsConserved, Cat(IdText(o), ": ordered ", o.ordered, " != filled ", o.filled,
                                      " + ", o.open ? "resting " : "closed remainder ", rest));
      }
      if (o.open && o.remaining <= 0) {
        rep.Fail(kFteIsConserved, Cat(IdText(o), " is open with remaining ", o.remaining));
      }
    }
    if (engine_open_requests != open_requests_.size() ||
        engine_open_offers != open_offers_.size()) {
      rep.Fail(kFteIsConserved, Cat("engine has ", engine_open_requests, " open requests and ",
                                    engine_open_offers, " open offers; the events leave ",
                                    open_requests_.size(), " and ", open_offers_.size()));
    }
    for (const auto& [id, c] : contracts_) {
      auto it = fills_by_contract_.find(id);
      const int64_t sum = it == fills_by_contract_.end() ? 0 : it->second;
      if (sum != c.used) {
        rep.Fail(kFteIsConserved, Cat("contract ", id, ": usage ", c.used,
                                      " but AssignmentCreated events name it for ", sum));
      }
    }
  }

  const ShadowOrder* Find(uint64_t id) const {
    auto it = orders_.find(id);
    return it == orders_.end() ? nullptr : &it->second;
  }
  size_t open_orders() const { return open_requests_.size() + open_offers_.size(); }
  std::set<uint64_t> AllOrderIds() const {
    std::set<uint64_t> ids;
    for (const auto& [id, o] : orders_) ids.insert(id);
    return ids;
  }

 private:
  struct Location {
    int32_t kind = 0;
    std::string parent;
  };

  static std::string IdText(const ShadowOrder& o) {
    return Cat(o.side == Side::kRequest ? "R" : "O", o.id);
  }

  static Card MakeCard(const std::vector<RateCardEntry>& rates) {
    Card card;
    for (const RateCardEntry& e : rates) card[{e.role, e.seniority, e.country}] = e.max_rate;
    return card;
  }
  static void PatchCard(Card& card, const PatchRateCard& p) {
    for (const RateCardKey& k : p.removals) card.erase({k.role, k.seniority, k.country});
    for (const RateCardEntry& e : p.upserts) card[{e.role, e.seniority, e.country}] = e.max_rate;
  }

  // ---- Reference data.
  bool KnownLocation(std::string_view code, int32_t kind) const {
    auto it = locations_.find(std::string(code));
    return it != locations_.end() && (kind == 0 || it->second.kind == kind);
  }
  std::string Parent(const std::string& code) const {
    auto it = locations_.find(code);
    return it == locations_.end() ? std::string() : it->second.parent;
  }
  bool IsParticipant(std::string_view id, int32_t kind) const {
    auto it = participants_.find(std::string(id));
    return it != participants_.end() && it->second == kind;
  }
  // The id a principal acts as when it is a known participant of `kind`.
  std::optional<std::string> Acting(std::string_view principal, int32_t kind) const {
    const std::string_view prefix = kind == 1 ? "sponsor:" : "vendor:";
    if (principal.substr(0, prefix.size()) != prefix) return std::nullopt;
    std::string id(principal.substr(prefix.size()));
    if (!IsParticipant(id, kind)) return std::nullopt;
    return id;
  }

  // ---- Compatibility (MATCHING.md rules 1 to 7).
  // An offer is inside a request's list when its region (now), its country or
  // its hub is listed.
  bool Inside(const ShadowOrder& o, const ShadowOrder& r) const {
    const std::string region = Parent(o.country);
    for (const std::string& loc : r.locations) {
      if (loc == o.country || loc == region || (!o.hub.empty() && loc == o.hub)) return true;
    }
    return false;
  }

  // Why R and O may not trade, or nullptr. `prices`: also rule 7.
  const char* Incompatible(const ShadowOrder& r, const ShadowOrder& o, bool prices,
                           const ShadowContract** contract) const {
    if (r.role != o.role) return "role";
    if (o.seniority < r.min_seniority) return "seniority";
    if (!Inside(o, r)) return "location";
    if (o.from > r.start) return "available_from after start_date";
    if (o.until && *o.until < r.end) return "available_until before end_date";
    if (!r.models.empty() && !Contains(r.models, o.model)) return "engagement model";
    for (const std::string& tag : r.required_tags) {
      if (!Contains(o.tags, tag)) return "required tag";
    }
    auto pair = contract_by_pair_.find({r.owner, o.owner});
    if (pair == contract_by_pair_.end()) return "no contract";
    const ShadowContract& c = contracts_.at(pair->second);
    if (!c.active) return "contract inactive";
    if (!r.allowlist.empty() && !Contains(r.allowlist, o.owner)) return "allowlist";
    if (prices) {
      if (o.price > r.price) return "rate above max_rate";
      auto cap = c.card.find({r.role, o.seniority, o.country});
      if (cap != c.card.end() && o.price > cap->second) return "rate above card";
    }
    if (contract != nullptr) *contract = &c;
    return nullptr;
  }

  // ---- Validation (MATCHING.md "Validation" and MATCHING_NOTES.md).
  Check CheckSubmit(std::string_view principal, const SubmitRequest& c, std::string* who) const {
    auto id = Acting(principal, 1);
    if (!id) return Denied("principal");
    *who = *id;
    if (!c.sponsor_id.empty() && c.sponsor_id != *id) return Denied("sponsor_id");
    if (!Token(c.client_ref)) return Invalid("client_ref");
    if (!Token(c.role) || !roles_.contains(c.role)) return Invalid("role");
    const int32_t min_seniority = c.min_seniority == 0 ? 1 : c.min_seniority;
    if (min_seniority < kMinSeniority || min_seniority > kMaxSeniority) {
      return Invalid("min_seniority");
    }
    if (c.locations.empty() || c.locations.size() > kMaxLocations) return Invalid("locations");
    for (size_t i = 0; i < c.locations.size(); ++i) {
      if (!Token(c.locations[i]) || !KnownLocation(c.locations[i], 0)) {
        return Invalid(At("locations", i));
      }
    }
    if (c.fte_milli < kMinFteMilli || c.fte_milli > kMaxFteMilli) return Invalid("fte_milli");
    if (c.min_slice_milli < 0 || c.min_slice_milli > c.fte_milli) return Invalid("min_slice_milli");
    if (c.max_vendors < 0) return Invalid("max_vendors");
    if (c.max_rate < kMinRate || c.max_rate > kMaxRate) return Invalid("max_rate");
    const auto start = ParseDate(c.start_date);
    if (!start) return Invalid("start_date");
    const auto end = ParseDate(c.end_date);
    if (!end || *end < *start) return Invalid("end_date");
    if (c.engagement_models.size() > kMaxEngagementModels) return Invalid("engagement_models");
    for (size_t i = 0; i < c.engagement_models.size(); ++i) {
      if (c.engagement_models[i] < 1 || c.engagement_models[i] > 3) {
        return Invalid(At("engagement_models", i));
      }
    }
    if (c.required_tags.size() > kMaxTags) return Invalid("required_tags");
    for (size_t i = 0; i < c.required_tags.size(); ++i) {
      if (c.required_tags[i].size() > kMaxStringBytes) return Invalid(At("required_tags", i));
    }
    if (c.vendor_allowlist.size() > kMaxAllowlistedVendors) return Invalid("vendor_allowlist");
    for (size_t i = 0; i < c.vendor_allowlist.size(); ++i) {
      if (!Token(c.vendor_allowlist[i]) || !IsParticipant(c.vendor_allowlist[i], 2)) {
        return Invalid(At("vendor_allowlist", i));
      }
    }
    if (c.time_in_force < 0 || c.time_in_force > 2) return Invalid("time_in_force");
    if (c.all_or_none && c.time_in_force != 2) return Invalid("all_or_none");
    return std::nullopt;
  }

  Check CheckPublish(std::string_view principal, const PublishOffer& c, std::string* who) const {
    auto id = Acting(principal, 2);
    if (!id) return Denied("principal");
    *who = *id;
    if (!c.vendor_id.empty() && c.vendor_id != *id) return Denied("vendor_id");
    if (!Token(c.client_ref)) return Invalid("client_ref");
    if (!Token(c.role) || !roles_.contains(c.role)) return Invalid("role");
    if (c.seniority < kMinSeniority || c.seniority > kMaxSeniority) return Invalid("seniority");
    if (!Token(c.country) || !KnownLocation(c.country, 2)) return Invalid("country");
    if (!c.hub.empty() &&
        (!Token(c.hub) || !KnownLocation(c.hub, 3) || Parent(c.hub) != c.country)) {
      return Invalid("hub");
    }
    if (c.fte_milli < kMinFteMilli || c.fte_milli > kMaxFteMilli) return Invalid("fte_milli");
    if (c.min_slice_milli < 0 || c.min_slice_milli > c.fte_milli) return Invalid("min_slice_milli");
    if (c.rate < kMinRate || c.rate > kMaxRate) return Invalid("rate");
    const auto from = ParseDate(c.available_from);
    if (!from) return Invalid("available_from");
    if (!c.available_until.empty()) {
      const auto until = ParseDate(c.available_until);
      if (!until || *until < *from) return Invalid("available_until");
    }
    if (c.engagement_model < 0 || c.engagement_model > 3) return Invalid("engagement_model");
    if (c.tags.size() > kMaxTags) return Invalid("tags");
    for (size_t i = 0; i < c.tags.size(); ++i) {
      if (c.tags[i].size() > kMaxStringBytes) return Invalid(At("tags", i));
    }
    if (c.time_in_force < 0 || c.time_in_force > 2) return Invalid("time_in_force");
    return std::nullopt;
  }

  // An order id names an order of that side only in its canonical form.
  const ShadowOrder* Lookup(std::string_view id, Side side) const {
    const char prefix = side == Side::kRequest ? 'R' : 'O';
    if (id.size() < 2 || id.size() > 20 || id[0] != prefix || id[1] == '0') return nullptr;
    uint64_t v = 0;
    for (char ch : id.substr(1)) {
      if (ch < '0' || ch > '9') return nullptr;
      v = v * 10 + static_cast<uint64_t>(ch - '0');
    }
    const ShadowOrder* o = Find(v);
    return o != nullptr && o->side == side ? o : nullptr;
  }

  // Amend, cancel, withdraw: checks 1 to 5. `amend` adds the amend fields.
  Check CheckOrderCommand(std::string_view principal, Side side, std::string_view id,
                          const std::string* client_ref, int64_t fte, int64_t price,
                          const ShadowOrder** order, std::string* who) const {
    const bool request = side == Side::kRequest;
    auto acting = Acting(principal, request ? 1 : 2);
    if (!acting) return Denied("principal");
    *who = *acting;
    const std::string field = request ? "request_id" : "offer_id";
    const ShadowOrder* o = Lookup(id, side);
    if (o != nullptr && o->owner != *acting) return Denied(field);
    if (!Token(id)) return Invalid(field);
    if (client_ref != nullptr) {
      if (!Token(*client_ref)) return Invalid("client_ref");
      if (fte != 0 && (fte < kMinFteMilli || fte > kMaxFteMilli)) return Invalid("fte_milli");
      if (price != 0 && (price < kMinRate || price > kMaxRate)) {
        return Invalid(request ? "max_rate" : "rate");
      }
    }
    if (o == nullptr) return Rejection{RejectCode::kNotFound, field};
    if (!o->open) return Rejection{RejectCode::kFailedPrecondition, field};
    *order = o;
    return std::nullopt;
  }

  Check CheckCardEntry(std::string_view list, size_t i, const std::string& role, int32_t seniority,
                       const std::string& country, const int64_t* max_rate) const {
    if (!Token(role) || !roles_.contains(role)) return Invalid(At(list, i, "role"));
    if (seniority < kMinSeniority || seniority > kMaxSeniority) {
      return Invalid(At(list, i, "seniority"));
    }
    if (!Token(country) || !KnownLocation(country, 2)) return Invalid(At(list, i, "country"));
    if (max_rate != nullptr && (*max_rate < kMinRate || *max_rate > kMaxRate)) {
      return Invalid(At(list, i, "max_rate"));
    }
    return std::nullopt;
  }

  static Prediction Rejected(const Rejection& r) {
    Prediction p;
    p.kind = Outcome::Kind::kRejected;
    p.lines.push_back(RejectedLine(r.code, r.field));
    return p;
  }

  // The idempotency key's first sequence, or 0.
  uint64_t SeenRef(const std::string& who, const std::string& client_ref) const {
    auto it = client_refs_.find({who, client_ref});
    return it == client_refs_.end() ? 0 : it->second;
  }
  static Prediction Duplicate(uint64_t original) {
    Prediction p;
    p.kind = Outcome::Kind::kDuplicate;
    p.original_sequence = original;
    return p;
  }

  // ---- The walk (MATCHING.md "Priority", "Fill size", "Time in force").
  // `in` is the incoming order as it stands after its accept or amend.
  void Walk(const ShadowOrder& in, bool ioc, bool aon, Prediction& p) const {
    const bool request = in.side == Side::kRequest;
    std::vector<const ShadowOrder*> candidates;
    for (uint64_t id : request ? open_offers_ : open_requests_) {
      const ShadowOrder& other = orders_.at(id);
      const ShadowOrder& r = request ? in : other;
      const ShadowOrder& o = request ? other : in;
      if (r.role == o.role && Inside(o, r) && o.price <= r.price) candidates.push_back(&other);
    }
    std::sort(candidates.begin(), candidates.end(),
              [request](const ShadowOrder* a, const ShadowOrder* b) {
                if (a->price != b->price)
                  return request ? a->price < b->price : a->price > b->price;
                return a->priority < b->priority;
              });

    struct Step {
      const ShadowOrder* resting;
      const ShadowContract* contract;
      int64_t fte;
    };
    std::vector<Step> plan;
    std::map<std::string, int64_t> planned;  // contract id -> FTE planned in this walk
    std::vector<std::string> request_vendors = in.vendors_used;
    int64_t remaining = in.remaining;
    for (const ShadowOrder* other : candidates) {
      if (remaining == 0) break;
      const ShadowOrder& r = request ? in : *other;
      const ShadowOrder& o = request ? *other : in;
      const std::string head = Cat("  ", IdText(*other), " price=", other->price, " p",
                                   other->priority, " rem=", other->remaining, ": ");
      const ShadowContract* contract = nullptr;
      if (const char* why = Incompatible(r, o, true, &contract)) {
        p.walk.push_back(Cat(head, "incompatible (", why, ")"));
        ++p.stats.incompatible;
        ++p.stats.reasons[why];
        continue;
      }
      int64_t headroom = contract->Headroom();
      if (headroom != kNoLimit) headroom -= planned[contract->id];
      const int64_t r_remaining = request ? remaining : r.remaining;
      const int64_t o_remaining = request ? o.remaining : remaining;
      const int64_t q = std::min({r_remaining, o_remaining, headroom});
      const std::vector<std::string>& vendors = request ? request_vendors : r.vendors_used;
      if (q <= 0) {
        p.walk.push_back(Cat(head, "skipped: no headroom under ", contract->id));
        ++p.stats.headroom;
        continue;
      }
      if (q < r.min_slice && q != r_remaining) {
        p.walk.push_back(Cat(head, "skipped: q=", q, " below the request's slice ", r.min_slice));
        ++p.stats.slice;
        continue;
      }
      if (q < o.min_slice && q != o_remaining) {
        p.walk.push_back(Cat(head, "skipped: q=", q, " below the offer's slice ", o.min_slice));
        ++p.stats.slice;
        continue;
      }
      if (r.max_vendors > 0 && !Contains(vendors, o.owner) &&
          vendors.size() >= static_cast<size_t>(r.max_vendors)) {
        p.walk.push_back(Cat(head, "skipped: blend limit ", r.max_vendors));
        ++p.stats.blend;
        continue;
      }
      p.walk.push_back(Cat(head, "fill ", q, " under ", contract->id));
      plan.push_back(Step{other, contract, q});
      planned[contract->id] += q;
      if (request && !Contains(request_vendors, o.owner)) request_vendors.push_back(o.owner);
      remaining -= q;
    }

    if (aon && remaining > 0) {
      p.lines.push_back(ClosedLine(Side::kRequest, in.id, CloseReason::kAonUnfilled));
      return;
    }
    int64_t in_remaining = in.remaining;
    for (const Step& s : plan) {
      const ShadowOrder& r = request ? in : *s.resting;
      const ShadowOrder& o = request ? *s.resting : in;
      in_remaining -= s.fte;
      const int64_t resting_remaining = s.resting->remaining - s.fte;
      p.fills.push_back(PlannedFill{r.id, o.id, s.fte});
      p.lines.push_back(FillLine({r.id, o.id, s.contract->id, r.owner, o.owner, r.role, o.seniority,
                                  o.country, o.hub, s.fte, o.price, r.start, r.end,
                                  request ? in_remaining : resting_remaining,
                                  request ? resting_remaining : in_remaining}));
      if (resting_remaining == 0) {
        p.lines.push_back(ClosedLine(s.resting->side, s.resting->id,
                                     request ? CloseReason::kExhausted : CloseReason::kFilled));
      }
    }
    if (in_remaining == 0) {
      p.lines.push_back(
          ClosedLine(in.side, in.id, request ? CloseReason::kFilled : CloseReason::kExhausted));
    } else if (ioc) {
      p.lines.push_back(ClosedLine(in.side, in.id, CloseReason::kIocRemainder));
    }
  }

  // ---- One prediction per kind of command.
  Prediction PredictBody(uint64_t, std::string_view, const EmptyBody&) const {
    return Rejected(Rejection{RejectCode::kInvalidArgument, "body"});
  }

  Prediction PredictBody(uint64_t seq, std::string_view principal, const SubmitRequest& c) const {
    std::string who;
    if (Check r = CheckSubmit(principal, c, &who)) return Rejected(*r);
    if (uint64_t first = SeenRef(who, c.client_ref)) return Duplicate(first);
    const ShadowOrder in = MakeRequest(seq, who, c);
    const int32_t tif = c.time_in_force == 0 ? 1 : c.time_in_force;
    Prediction p;
    p.lines.push_back(AcceptedLine(Side::kRequest, seq, who, in.min_seniority, 0, tif, c.client_ref,
                                   c.fte_milli));
    Walk(in, tif == 2, c.all_or_none, p);
    return p;
  }

  Prediction PredictBody(uint64_t seq, std::string_view principal, const PublishOffer& c) const {
    std::string who;
    if (Check r = CheckPublish(principal, c, &who)) return Rejected(*r);
    if (uint64_t first = SeenRef(who, c.client_ref)) return Duplicate(first);
    const ShadowOrder in = MakeOffer(seq, who, c);
    const int32_t tif = c.time_in_force == 0 ? 1 : c.time_in_force;
    Prediction p;
    p.lines.push_back(
        AcceptedLine(Side::kOffer, seq, who, 0, in.model, tif, c.client_ref, c.fte_milli));
    Walk(in, tif == 2, false, p);
    return p;
  }

  Prediction PredictAmend(uint64_t seq, std::string_view principal, Side side,
                          const std::string& id, const std::string& client_ref, int64_t fte,
                          int64_t price) const {
    const ShadowOrder* o = nullptr;
    std::string who;
    if (Check r = CheckOrderCommand(principal, side, id, &client_ref, fte, price, &o, &who)) {
      return Rejected(*r);
    }
    if (uint64_t first = SeenRef(who, client_ref)) return Duplicate(first);
    ShadowOrder in = *o;
    in.remaining = fte == 0 ? o->remaining : fte;
    in.price = price == 0 ? o->price : price;
    Prediction p;
    if (in.price == o->price && in.remaining <= o->remaining) {  // keeps priority
      p.lines.push_back(AmendedLine(side, o->id, in.remaining, in.price, o->priority, client_ref));
      return p;
    }
    in.priority = seq;  // cancel-replace: matched again as incoming
    p.lines.push_back(AmendedLine(side, o->id, in.remaining, in.price, seq, client_ref));
    Walk(in, false, false, p);
    return p;
  }
  Prediction PredictBody(uint64_t seq, std::string_view principal, const AmendRequest& c) const {
    return PredictAmend(seq, principal, Side::kRequest, c.request_id, c.client_ref, c.fte_milli,
                        c.max_rate);
  }
  Prediction PredictBody(uint64_t seq, std::string_view principal, const AmendOffer& c) const {
    return PredictAmend(seq, principal, Side::kOffer, c.offer_id, c.client_ref, c.fte_milli,
                        c.rate);
  }

  Prediction PredictCancel(std::string_view principal, Side side, const std::string& id) const {
    const ShadowOrder* o = nullptr;
    std::string who;
    if (Check r = CheckOrderCommand(principal, side, id, nullptr, 0, 0, &o, &who)) {
      return Rejected(*r);
    }
    Prediction p;
    p.lines.push_back(ClosedLine(
        side, o->id, side == Side::kRequest ? CloseReason::kCancelled : CloseReason::kWithdrawn));
    return p;
  }
  Prediction PredictBody(uint64_t, std::string_view principal, const CancelRequest& c) const {
    return PredictCancel(principal, Side::kRequest, c.request_id);
  }
  Prediction PredictBody(uint64_t, std::string_view principal, const WithdrawOffer& c) const {
    return PredictCancel(principal, Side::kOffer, c.offer_id);
  }

  static Prediction One(std::string line) {
    Prediction p;
    p.lines.push_back(std::move(line));
    return p;
  }

  Prediction PredictBody(uint64_t, std::string_view principal, const DefineRole& c) const {
    if (principal != "admin") return Rejected({RejectCode::kPermissionDenied, "principal"});
    if (!Token(c.code)) return Rejected({RejectCode::kInvalidArgument, "code"});
    return One(Cat("RoleDefined ", c.code));
  }

  Prediction PredictBody(uint64_t, std::string_view principal, const DefineLocation& c) const {
    if (principal != "admin") return Rejected({RejectCode::kPermissionDenied, "principal"});
    if (c.kind < 1 || c.kind > 3) return Rejected({RejectCode::kInvalidArgument, "kind"});
    if (!Token(c.code)) return Rejected({RejectCode::kInvalidArgument, "code"});
    auto it = locations_.find(c.code);
    if (it != locations_.end() && it->second.kind != c.kind) {
      return Rejected({RejectCode::kInvalidArgument, "kind"});
    }
    if (c.kind == 1) {
      if (!c.parent.empty()) return Rejected({RejectCode::kInvalidArgument, "parent"});
    } else if (!Token(c.parent) || !KnownLocation(c.parent, c.kind - 1)) {
      return Rejected({RejectCode::kInvalidArgument, "parent"});
    }
    return One(Cat("LocationDefined ", c.kind, " ", c.code, " parent=", c.parent));
  }

  Prediction PredictBody(uint64_t, std::string_view principal, const UpsertParticipant& c) const {
    if (principal != "admin") return Rejected({RejectCode::kPermissionDenied, "principal"});
    if (!Token(c.id)) return Rejected({RejectCode::kInvalidArgument, "id"});
    if (c.kind < 1 || c.kind > 2) return Rejected({RejectCode::kInvalidArgument, "kind"});
    auto it = participants_.find(c.id);
    if (it != participants_.end() && it->second != c.kind) {
      return Rejected({RejectCode::kInvalidArgument, "kind"});
    }
    return One(Cat("ParticipantUpserted ", c.id, " kind=", c.kind));
  }

  Prediction PredictBody(uint64_t, std::string_view principal, const UpsertContract& c) const {
    if (principal != "admin") return Rejected({RejectCode::kPermissionDenied, "principal"});
    if (!Token(c.contract_id)) return Rejected({RejectCode::kInvalidArgument, "contract_id"});
    auto existing = contracts_.find(c.contract_id);
    const bool exists = existing != contracts_.end();
    if (!Token(c.sponsor_id) || !IsParticipant(c.sponsor_id, 1) ||
        (exists && existing->second.sponsor != c.sponsor_id)) {
      return Rejected({RejectCode::kInvalidArgument, "sponsor_id"});
    }
    if (!Token(c.vendor_id) || !IsParticipant(c.vendor_id, 2) ||
        (exists && existing->second.vendor != c.vendor_id)) {
      return Rejected({RejectCode::kInvalidArgument, "vendor_id"});
    }
    if (c.max_fte_milli != 0 && (c.max_fte_milli < 1 || c.max_fte_milli > kMaxContractFteMilli)) {
      return Rejected({RejectCode::kInvalidArgument, "max_fte_milli"});
    }
    if (c.rates.size() > kMaxRateCardEntriesPerCommand) {
      return Rejected({RejectCode::kInvalidArgument, "rates"});
    }
    for (size_t i = 0; i < c.rates.size(); ++i) {
      const RateCardEntry& e = c.rates[i];
      if (Check r = CheckCardEntry("rates", i, e.role, e.seniority, e.country, &e.max_rate)) {
        return Rejected(*r);
      }
    }
    if (!exists && contract_by_pair_.contains({c.sponsor_id, c.vendor_id})) {
      return Rejected({RejectCode::kAlreadyExists, "contract_id"});
    }
    std::string card;
    for (const auto& [key, rate] : MakeCard(c.rates)) {
      card += CardRow(std::get<0>(key), std::get<1>(key), std::get<2>(key), rate);
    }
    return One(ContractLine(c.contract_id, c.sponsor_id, c.vendor_id, c.active, c.max_fte_milli,
                            exists ? existing->second.used : 0, card));
  }

  Prediction PredictBody(uint64_t, std::string_view principal, const PatchRateCard& c) const {
    if (principal != "admin") return Rejected({RejectCode::kPermissionDenied, "principal"});
    if (!Token(c.contract_id)) return Rejected({RejectCode::kInvalidArgument, "contract_id"});
    if (c.upserts.size() > kMaxRateCardEntriesPerCommand) {
      return Rejected({RejectCode::kInvalidArgument, "upserts"});
    }
    for (size_t i = 0; i < c.upserts.size(); ++i) {
      const RateCardEntry& e = c.upserts[i];
      if (Check r = CheckCardEntry("upserts", i, e.role, e.seniority, e.country, &e.max_rate)) {
        return Rejected(*r);
      }
    }
    if (c.removals.size() > kMaxRateCardEntriesPerCommand) {
      return Rejected({RejectCode::kInvalidArgument, "removals"});
    }
    for (size_t i = 0; i < c.removals.size(); ++i) {
      const RateCardKey& k = c.removals[i];
      if (Check r = CheckCardEntry("removals", i, k.role, k.seniority, k.country, nullptr)) {
        return Rejected(*r);
      }
    }
    auto it = contracts_.find(c.contract_id);
    if (it == contracts_.end()) return Rejected({RejectCode::kNotFound, "contract_id"});
    Card card = it->second.card;
    PatchCard(card, c);
    return One(Cat("RateCardPatched ", c.contract_id, " count=", card.size()));
  }

  // ---- Orders as stored.
  static ShadowOrder MakeRequest(uint64_t seq, const std::string& who, const SubmitRequest& c) {
    ShadowOrder r;
    r.id = seq;
    r.side = Side::kRequest;
    r.owner = who;
    r.client_ref = c.client_ref;
    r.role = c.role;
    r.priority = seq;
    r.remaining = c.fte_milli;
    r.ordered = c.fte_milli;
    r.price = c.max_rate;
    r.min_slice = c.min_slice_milli;
    r.min_seniority = c.min_seniority == 0 ? 1 : c.min_seniority;
    r.locations = c.locations;
    r.max_vendors = c.max_vendors;
    r.start = *ParseDate(c.start_date);
    r.end = *ParseDate(c.end_date);
    r.models = c.engagement_models;
    r.required_tags = c.required_tags;
    r.allowlist = c.vendor_allowlist;
    return r;
  }

  static ShadowOrder MakeOffer(uint64_t seq, const std::string& who, const PublishOffer& c) {
    ShadowOrder o;
    o.id = seq;
    o.side = Side::kOffer;
    o.owner = who;
    o.client_ref = c.client_ref;
    o.role = c.role;
    o.priority = seq;
    o.remaining = c.fte_milli;
    o.ordered = c.fte_milli;
    o.price = c.rate;
    o.min_slice = c.min_slice_milli;
    o.seniority = c.seniority;
    o.country = c.country;
    o.hub = c.hub;
    o.from = *ParseDate(c.available_from);
    if (!c.available_until.empty()) o.until = *ParseDate(c.available_until);
    o.model = c.engagement_model == 0 ? 1 : c.engagement_model;
    o.tags = c.tags;
    return o;
  }

  bool AddOrder(uint64_t seq, const Command& cmd, const Captured& e) {
    ShadowOrder o;
    if (const auto* r = std::get_if<SubmitRequest>(&cmd.body);
        r != nullptr && e.kind == Captured::Kind::kRequestAccepted) {
      o = MakeRequest(seq, e.owner, *r);
      open_requests_.insert(seq);
    } else if (const auto* f = std::get_if<PublishOffer>(&cmd.body);
               f != nullptr && e.kind == Captured::Kind::kOfferAccepted) {
      o = MakeOffer(seq, e.owner, *f);
      open_offers_.insert(seq);
    } else {
      return false;
    }
    client_refs_.emplace(std::make_pair(o.owner, o.client_ref), seq);
    orders_[seq] = std::move(o);
    return true;
  }

  ShadowOrder* FindOpen(uint64_t id, Side side) {
    auto it = orders_.find(id);
    if (it == orders_.end() || !it->second.open || it->second.side != side) return nullptr;
    return &it->second;
  }

  // Checks one AssignmentCreated against the model before applying it.
  bool ApplyFill(const Captured& e, Reporter& rep) {
    ShadowOrder* rp = FindOpen(e.request, Side::kRequest);
    ShadowOrder* op = FindOpen(e.offer, Side::kOffer);
    if (rp == nullptr || op == nullptr) {
      rep.Fail(kNoFillExceedsEitherSide, Cat("fill of R", e.request, " and O", e.offer,
                                             ": one of them is not an open request / offer"));
      return false;
    }
    ShadowOrder& r = *rp;
    ShadowOrder& o = *op;
    const int64_t q = e.fte;
    const std::string what = Cat("fill R", r.id, "/O", o.id, " of ", q, ": ");

    // Sizes.
    if (q <= 0) rep.Fail(kNoFillExceedsEitherSide, Cat(what, "q must be > 0"));
    if (q > r.remaining) {
      rep.Fail(kNoFillExceedsEitherSide,
               Cat(what, "exceeds the request's remaining ", r.remaining));
    }
    if (q > o.remaining) {
      rep.Fail(kNoFillExceedsEitherSide, Cat(what, "exceeds the offer's remaining ", o.remaining));
    }
    if (e.request_remaining != r.remaining - q || e.offer_remaining != o.remaining - q) {
      rep.Fail(kNoFillExceedsEitherSide,
               Cat(what, "reports remaining ", e.request_remaining, "/", e.offer_remaining,
                   ", the model has ", r.remaining - q, "/", o.remaining - q));
    }

    // Prices.
    auto pair = contract_by_pair_.find({r.owner, o.owner});
    if (pair == contract_by_pair_.end()) {
      rep.Fail(kFillsOnlyPairCompatibleOrders,
               Cat(what, "no contract between ", r.owner, " and ", o.owner));
      return false;
    }
    ShadowContract& c = contracts_.at(pair->second);
    if (e.rate != o.price) {
      rep.Fail(kFillsRespectPriceCaps,
               Cat(what, "price ", e.rate, " is not the offer's rate ", o.price));
    }
    if (o.price > r.price) {
      rep.Fail(kFillsRespectPriceCaps, Cat(what, "rate ", o.price, " above max_rate ", r.price));
    }
    auto cap = c.card.find({r.role, o.seniority, o.country});
    if (cap != c.card.end() && o.price > cap->second) {
      rep.Fail(kFillsRespectPriceCaps,
               Cat(what, "rate ", o.price, " above the card's ", cap->second, " for ", r.role, "/",
                   o.seniority, "/", o.country, " in ", c.id));
    }

    // Fill-size rules.
    if (q < r.min_slice && q != r.remaining) {
      rep.Fail(kFillsRespectMinSlices, Cat(what, "below the request's min slice ", r.min_slice,
                                           " and not its remaining ", r.remaining));
    }
    if (q < o.min_slice && q != o.remaining) {
      rep.Fail(kFillsRespectMinSlices, Cat(what, "below the offer's min slice ", o.min_slice,
                                           " and not its remaining ", o.remaining));
    }
    if (r.max_vendors > 0 && !Contains(r.vendors_used, o.owner) &&
        r.vendors_used.size() >= static_cast<size_t>(r.max_vendors)) {
      rep.Fail(
          kFillsRespectBlendLimit,
          Cat(what, "vendor ", o.owner, " would be vendor ", r.vendors_used.size() + 1, " of R",
              r.id, " (max_vendors ", r.max_vendors, ", used ", List(r.vendors_used), ")"));
    }
    if (c.max_fte_milli > 0 && c.used + q > c.max_fte_milli) {
      rep.Fail(kFillsRespectContractCeiling, Cat(what, "contract ", c.id, " has used ", c.used,
                                                 " of its ceiling ", c.max_fte_milli));
    }

    // Compatibility and the event's fields.
    if (const char* why = Incompatible(r, o, false, nullptr)) {
      rep.Fail(kFillsOnlyPairCompatibleOrders, Cat(what, "incompatible: ", why));
    }
    if (e.contract != c.id || e.sponsor != r.owner || e.vendor != o.owner || e.role != r.role ||
        e.seniority != o.seniority || e.country != o.country || e.hub != o.hub ||
        e.start != r.start || e.end != r.end) {
      rep.Fail(kFillsOnlyPairCompatibleOrders,
               Cat(what, "event fields differ from the orders' (contract ", c.id, ", ", r.owner,
                   "/", o.owner, ", ", r.role, " s", o.seniority, " ", o.country, "/", o.hub, ")"));
    }

    r.remaining -= q;
    o.remaining -= q;
    r.filled += q;
    o.filled += q;
    c.used += q;
    fills_by_contract_[e.contract] += q;
    if (!Contains(r.vendors_used, o.owner)) r.vendors_used.push_back(o.owner);
    return true;
  }

  bool ApplyClose(const Captured& e, Reporter& rep) {
    ShadowOrder* o = FindOpen(e.order, e.side);
    if (o == nullptr) {
      rep.Fail(kEventsFollowDocumentedOrder, Cat("close of ", e.line, ": not an open order"));
      return false;
    }
    const bool emptied = e.reason == CloseReason::kFilled || e.reason == CloseReason::kExhausted;
    if (emptied != (o->remaining == 0)) {
      rep.Fail(kFteIsConserved, Cat(e.line, " with remaining ", o->remaining));
    }
    o->open = false;
    o->closed_remainder = o->remaining;
    o->close_reason = e.reason;
    (e.side == Side::kRequest ? open_requests_ : open_offers_).erase(e.order);
    return true;
  }

  bool ApplyAmend(uint64_t seq, const Captured& e, Reporter& rep) {
    ShadowOrder* o = FindOpen(e.order, e.side);
    if (o == nullptr) {
      rep.Fail(kEventsFollowDocumentedOrder, Cat(e.line, ": not an open order"));
      return false;
    }
    o->ordered += e.remaining - o->remaining;
    o->remaining = e.remaining;
    o->price = e.price;
    o->priority = e.priority;
    client_refs_.emplace(std::make_pair(o->owner, e.client_ref), seq);
    return true;
  }

  std::set<std::string> roles_;
  std::map<std::string, Location> locations_;
  std::map<std::string, int32_t> participants_;
  std::map<std::string, ShadowContract> contracts_;
  std::map<std::pair<std::string, std::string>, std::string> contract_by_pair_;
  std::map<std::string, int64_t> fills_by_contract_;
  std::map<uint64_t, ShadowOrder> orders_;  // every order ever accepted
  std::set<uint64_t> open_requests_;
  std::set<uint64_t> open_offers_;
  std::map<std::pair<std::string, std::string>, uint64_t> client_refs_;  // -> first sequence
};

// ---------------------------------------------------------------------------
// Structural checks on one command's events.

uint64_t ParseOrderId(std::string_view id) {
  uint64_t v = 0;
  for (char ch : id.substr(id.empty() ? 0 : 1)) {
    if (ch < '0' || ch > '9') return 0;
    v = v * 10 + static_cast<uint64_t>(ch - '0');
  }
  return v;
}

// API.md "Order of a command's events", for an applied command.
std::optional<std::string> CheckEventOrder(uint64_t seq, const Command& cmd, const Outcome& out,
                                           const std::vector<Captured>& ev) {
  using K = Captured::Kind;
  for (size_t i = 0; i < ev.size(); ++i) {
    if (ev[i].index != i) return Cat("event ", i, " has index ", ev[i].index);
  }
  if (out.event_count != ev.size()) {
    return Cat("Outcome.event_count ", out.event_count, " but ", ev.size(), " events");
  }
  if (out.kind != Outcome::Kind::kApplied) return std::nullopt;  // checked elsewhere
  for (const Captured& e : ev) {
    if (e.kind == K::kRejected) return "an applied command emitted CommandRejected";
  }
  if (ev.empty()) return "an applied command emitted no event";

  // The fills of an incoming order, each followed by the close of the resting
  // order it emptied, then the incoming order's close if it ended.
  auto walk = [&](Side side, uint64_t incoming, int64_t remaining, bool ioc,
                  bool aon) -> std::optional<std::string> {
    size_t i = 1;
    size_t fills = 0;
    while (i < ev.size() && ev[i].kind == K::kAssignment) {
      const Captured& f = ev[i];
      const bool request = side == Side::kRequest;
      if ((request ? f.request : f.offer) != incoming) {
        return Cat("event ", i, " is a fill that does not involve the incoming order");
      }
      remaining = request ? f.request_remaining : f.offer_remaining;
      const uint64_t resting = request ? f.offer : f.request;
      const int64_t resting_remaining = request ? f.offer_remaining : f.request_remaining;
      ++i;
      ++fills;
      if (resting_remaining == 0) {
        if (i >= ev.size() || ev[i].kind != K::kClosed || ev[i].order != resting ||
            ev[i].side == side) {
          return Cat("event ", i, " should close the resting order ", resting,
                     " that the fill before it emptied");
        }
        ++i;
      }
    }
    if (i == ev.size()) {
      if (remaining == 0) return "the incoming order was emptied but not closed";
      if (ioc) return "the IOC order's remainder was not closed";
      return std::nullopt;
    }
    const Captured& last = ev[i];
    if (last.kind != K::kClosed || last.order != incoming || last.side != side) {
      return Cat("event ", i,
                 " is neither a fill, the close of a resting order it emptied, nor "
                 "the incoming order's close");
    }
    if (i + 1 != ev.size()) return Cat("event ", i + 1, " follows the incoming order's close");
    CloseReason want = side == Side::kRequest ? CloseReason::kFilled : CloseReason::kExhausted;
    if (remaining > 0) {
      if (!ioc) return "a GTC order with FTE left was closed";
      want = aon && fills == 0 ? CloseReason::kAonUnfilled : CloseReason::kIocRemainder;
    }
    if (last.reason != want) {
      return Cat("the incoming order closed ", ReasonName(last.reason), ", expected ",
                 ReasonName(want));
    }
    return std::nullopt;
  };

  struct V {
    uint64_t seq;
    const std::vector<Captured>& ev;
    decltype(walk)& run;
    std::optional<std::string> One(K kind) {
      if (ev.size() != 1 || ev[0].kind != kind) return "expected exactly one event";
      return std::nullopt;
    }
    std::optional<std::string> operator()(const EmptyBody&) { return "an empty body applied"; }
    std::optional<std::string> operator()(const SubmitRequest& c) {
      if (ev[0].kind != K::kRequestAccepted) return "the first event is not RequestAccepted";
      return run(Side::kRequest, seq, c.fte_milli, c.time_in_force == 2, c.all_or_none);
    }
    std::optional<std::string> operator()(const PublishOffer& c) {
      if (ev[0].kind != K::kOfferAccepted) return "the first event is not OfferAccepted";
      return run(Side::kOffer, seq, c.fte_milli, c.time_in_force == 2, false);
    }
    std::optional<std::string> Amend(Side side, const std::string& id) {
      if (ev[0].kind != K::kAmended || ev[0].side != side || ev[0].order != ParseOrderId(id)) {
        return "the first event is not the amended event of the named order";
      }
      if (ev[0].priority != seq) {
        if (ev.size() != 1) return "an amend that keeps priority matched again";
        return std::nullopt;
      }
      return run(side, ev[0].order, ev[0].remaining, false, false);
    }
    std::optional<std::string> operator()(const AmendRequest& c) {
      return Amend(Side::kRequest, c.request_id);
    }
    std::optional<std::string> operator()(const AmendOffer& c) {
      return Amend(Side::kOffer, c.offer_id);
    }
    std::optional<std::string> Cancel(Side side, const std::string& id, CloseReason reason) {
      if (ev.size() != 1 || ev[0].kind != K::kClosed || ev[0].side != side ||
          ev[0].order != ParseOrderId(id) || ev[0].reason != reason) {
        return "expected exactly the close of the named order";
      }
      return std::nullopt;
    }
    std::optional<std::string> operator()(const CancelRequest& c) {
      return Cancel(Side::kRequest, c.request_id, CloseReason::kCancelled);
    }
    std::optional<std::string> operator()(const WithdrawOffer& c) {
      return Cancel(Side::kOffer, c.offer_id, CloseReason::kWithdrawn);
    }
    std::optional<std::string> operator()(const DefineRole&) { return One(K::kRoleDefined); }
    std::optional<std::string> operator()(const DefineLocation&) {
      return One(K::kLocationDefined);
    }
    std::optional<std::string> operator()(const UpsertParticipant&) {
      return One(K::kParticipantUpserted);
    }
    std::optional<std::string> operator()(const UpsertContract&) {
      return One(K::kContractUpserted);
    }
    std::optional<std::string> operator()(const PatchRateCard&) { return One(K::kRateCardPatched); }
  };
  return std::visit(V{seq, ev, walk}, cmd.body);
}

// An IOC all-or-none request fills its whole FTE or nothing.
std::optional<std::string> CheckAllOrNone(uint64_t seq, const Command& cmd, const Outcome& out,
                                          const std::vector<Captured>& ev) {
  const auto* c = std::get_if<SubmitRequest>(&cmd.body);
  if (c == nullptr || !c->all_or_none || out.kind != Outcome::Kind::kApplied) return std::nullopt;
  int64_t filled = 0;
  size_t fills = 0;
  std::optional<CloseReason> close;
  for (const Captured& e : ev) {
    if (e.kind == Captured::Kind::kAssignment && e.request == seq) {
      filled += e.fte;
      ++fills;
    }
    if (e.kind == Captured::Kind::kClosed && e.side == Side::kRequest && e.order == seq) {
      close = e.reason;
    }
  }
  if (fills == 0 && close == CloseReason::kAonUnfilled) return std::nullopt;
  if (filled == c->fte_milli && close == CloseReason::kFilled) return std::nullopt;
  return Cat("all-or-none request of ", c->fte_milli, " got ", fills, " fills for ", filled,
             " and closed ", close ? ReasonName(*close) : "never");
}

bool SameEvents(const std::vector<Captured>& a, const std::vector<Captured>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].index != b[i].index || a[i].line != b[i].line || a[i].message != b[i].message) {
      return false;
    }
  }
  return true;
}

bool SameOutcome(const Outcome& a, const Outcome& b) {
  return a.kind == b.kind && a.event_count == b.event_count &&
         a.original_sequence == b.original_sequence;
}

const char* KindName(Outcome::Kind k) {
  switch (k) {
    case Outcome::Kind::kApplied:
      return "applied";
    case Outcome::Kind::kRejected:
      return "rejected";
    case Outcome::Kind::kDuplicate:
      return "duplicate";
  }
  return "?";
}

// ---------------------------------------------------------------------------
// The run.

struct Stats {
  uint64_t applied = 0;
  uint64_t duplicates = 0;
  std::map<std::string, uint64_t> rejections;  // by code
  uint64_t fills = 0;
  uint64_t fill_fte = 0;
  std::map<std::string, uint64_t> closes;  // by reason
  uint64_t amends_keeping_priority = 0;
  uint64_t amends_replacing = 0;
  uint64_t aon_filled = 0;
  uint64_t aon_unfilled = 0;
  uint64_t multi_fill_commands = 0;
  WalkStats skips;
  size_t max_open_orders = 0;
};

// What one seed's stream found.
struct SeedResults {
  std::array<std::vector<std::string>, kInvariantCount> failures;  // one report each
  uint64_t commands = 0;        // generated commands checked, setup excluded
  uint64_t setup_commands = 0;  // reference data and initial contracts
  uint64_t digest_checks = 0;
  Stats stats;
};

// The default run: 16 seeds x 6,400 commands = 102,400 generated commands,
// one test per seed (ctest runs each in its own process, two at a time).
constexpr uint64_t kDefaultSeeds = 16;
constexpr uint64_t kDefaultCommandsPerSeed = 6'400;
static_assert(kDefaultSeeds * kDefaultCommandsPerSeed >= 100'000);

// Environment overrides, for reproducing a failure.
struct RunConfig {
  uint64_t commands = kDefaultCommandsPerSeed;
  bool overridden = false;  // seeds or command count set from the environment
  bool trace = false;
  bool strict_digests = false;
  // Set in the child process of the cross-process replay check: run engine A
  // only and print the fingerprint of the first `commands` commands.
  bool fingerprint_only = false;
};

// A fresh process replays each seed's first kCrossProcessCommands commands
// and must produce the same fingerprint (FNV-1a over every event line and the
// final StateDigest). The in-process replay engine shares the process's
// hash-table seed, so only another process can show a dependence on hash
// iteration order or on addresses.
constexpr uint64_t kCrossProcessCommands = 2'000;

uint64_t Fnv(uint64_t h, std::string_view bytes) {
  for (unsigned char ch : bytes) {
    h ^= ch;
    h *= 1099511628211ULL;
  }
  return h;
}
constexpr uint64_t kFnvOffset = 14695981039346656037ULL;

// StateDigest hashes every order and client_ref ever accepted, so it costs
// O(history) per call. The no-op twin's digest is compared right after every
// rejected or duplicate command among a seed's first kStrictDigestCommands
// (all of them with MATCHER_PROPERTY_STRICT_DIGESTS=1); all three digests are
// compared every kDigestEvery commands and at the end of each stream, which
// still catches a later rejected command that left a lasting change.
constexpr uint64_t kStrictDigestCommands = 1500;
constexpr uint64_t kDigestEvery = 256;

class SeedRun {
 public:
  SeedRun(uint64_t seed, const RunConfig& config, SeedResults& results)
      : seed_(seed),
        gen_(seed),
        results_(results),
        commands_(config.commands),
        trace_(config.trace),
        strict_digests_(config.strict_digests),
        fingerprint_only_(config.fingerprint_only),
        fingerprint_commands_(std::min(config.commands, kCrossProcessCommands)) {}

  void Run() {
    for (const Command& cmd : gen_.Setup()) {
      if (!Step(cmd, true)) return;
      ++results_.setup_commands;
    }
    for (uint64_t i = 0; i < commands_; ++i) {
      if (i == fingerprint_commands_) TakeFingerprint();
      if (!Step(gen_.Next(), false)) return;
      ++results_.commands;
    }
    if (commands_ == fingerprint_commands_) TakeFingerprint();
    if (fingerprint_only_) return;
    Reporter rep;
    CompareDigests(rep, Outcome::Kind::kApplied, /*with_replay=*/true);
    shadow_.CheckConservation(shadow_.AllOrderIds(), a_.open_requests(), a_.open_offers(), rep);
    if (!rep.failures.empty()) {
      Record(rep, "(end of stream)", Command{}, {}, Prediction{});
    }
  }

  // Engine A's fingerprint after the first kCrossProcessCommands commands.
  std::optional<uint64_t> prefix_fingerprint() const { return prefix_fingerprint_; }

 private:
  void TakeFingerprint() {
    prefix_fingerprint_ = Fnv(fingerprint_, Cat("digest ", a_.StateDigest()));
  }

  void Feedback(const std::set<uint64_t>& touched) {
    for (uint64_t id : touched) {
      const ShadowOrder* o = shadow_.Find(id);
      if (o == nullptr) continue;
      if (o->open) {
        gen_.OnOrderOpen(id, o->remaining, o->price);
      } else {
        gen_.OnOrderClosed(id);
      }
    }
  }

  // The child of the cross-process check: engine A and the model's book (the
  // generator's feedback) only.
  bool FingerprintStep(uint64_t seq, const Command& cmd) {
    CapturingSink sa;
    a_.Execute(seq, cmd, sa);
    for (const Captured& e : sa.events) fingerprint_ = Fnv(fingerprint_, e.line + e.message);
    Reporter rep;
    std::set<uint64_t> touched;
    const bool ok = shadow_.Apply(seq, cmd, sa.events, rep, touched);
    Feedback(touched);
    return ok;
  }

  // `kind`: what A made of the command just run (kApplied for a periodic check).
  void CompareDigests(Reporter& rep, Outcome::Kind kind, bool with_replay) {
    ++results_.digest_checks;
    const uint64_t da = a_.StateDigest();
    const uint64_t dc = c_.StateDigest();
    if (with_replay) {
      const uint64_t db = b_.StateDigest();
      if (da != db) {
        rep.Fail(kReplayIsDeterministic,
                 Cat("StateDigest differs between the engine and its replay: ", da, " vs ", db));
      }
    }
    if (da != dc) {
      const Invariant inv = kind == Outcome::Kind::kDuplicate ? kDuplicatesAreSilentAndChangeNothing
                                                              : kRejectionsAreWholeAndChangeNothing;
      rep.Fail(inv, Cat("StateDigest ", da, " differs from the no-op twin's ", dc,
                        kind == Outcome::Kind::kApplied
                            ? " (a rejected or duplicate command since the last check changed "
                              "state; rerun with MATCHER_PROPERTY_STRICT_DIGESTS=1)"
                            : ": the command changed state"));
    }
  }

  bool Step(const Command& cmd, bool setup) {
    const uint64_t seq = a_.last_sequence() + 1;
    if (fingerprint_only_) return FingerprintStep(seq, cmd);
    const Prediction pred = shadow_.Predict(seq, cmd);
    CapturingSink sa;
    CapturingSink sb;
    CapturingSink sc;
    const Outcome oa = a_.Execute(seq, cmd, sa);
    const Outcome ob = b_.Execute(seq, cmd, sb);
    const bool applied = oa.kind == Outcome::Kind::kApplied;
    if (applied) {
      c_.Execute(seq, cmd, sc);
    } else {
      c_.Execute(seq, Command{cmd.timestamp_unix_nanos, cmd.principal, EmptyBody{}}, sc);
    }
    for (const Captured& e : sa.events) fingerprint_ = Fnv(fingerprint_, e.line + e.message);
    if (trace_) {
      std::cerr << "seed " << seed_ << " #" << seq << " " << DumpCommand(cmd) << "\n"
                << EventsText(sa.events);
    }

    Reporter rep;
    // Determinism.
    if (!SameOutcome(oa, ob) || !SameEvents(sa.events, sb.events)) {
      rep.Fail(kReplayIsDeterministic,
               Cat("the replay engine emitted other events:\n", EventsText(sb.events)));
    }
    if (applied && !SameEvents(sa.events, sc.events)) {
      rep.Fail(kReplayIsDeterministic,
               Cat("the no-op twin emitted other events:\n", EventsText(sc.events)));
    }
    // Rejections and duplicates.
    if (oa.kind == Outcome::Kind::kRejected) {
      if (sa.events.size() != 1 || sa.events[0].kind != Captured::Kind::kRejected) {
        rep.Fail(kRejectionsAreWholeAndChangeNothing,
                 "a rejected command must emit exactly one CommandRejected");
      }
    } else if (oa.kind == Outcome::Kind::kDuplicate) {
      if (!sa.events.empty()) {
        rep.Fail(kDuplicatesAreSilentAndChangeNothing, "a duplicate must emit no event");
      }
      if (oa.original_sequence != pred.original_sequence) {
        rep.Fail(kDuplicatesAreSilentAndChangeNothing,
                 Cat("the duplicate's original sequence is ", oa.original_sequence,
                     ", the client_ref was first used at ", pred.original_sequence));
      }
    }
    if (seq % kDigestEvery == 0) {
      CompareDigests(rep, oa.kind, /*with_replay=*/true);
    } else if (!applied && (strict_digests_ || seq <= kStrictDigestCommands)) {
      CompareDigests(rep, oa.kind, /*with_replay=*/false);
    }
    // Order of events, all-or-none.
    if (auto m = CheckEventOrder(seq, cmd, oa, sa.events)) {
      rep.Fail(kEventsFollowDocumentedOrder, *m);
    }
    if (auto m = CheckAllOrNone(seq, cmd, oa, sa.events)) {
      rep.Fail(kAllOrNoneFillsWholeOrNothing, *m);
    }
    // The spec model's prediction.
    std::vector<std::string> lines;
    std::vector<PlannedFill> fills;
    for (const Captured& e : sa.events) {
      lines.push_back(e.line);
      if (e.kind == Captured::Kind::kAssignment) fills.push_back({e.request, e.offer, e.fte});
    }
    if (pred.kind != oa.kind || pred.lines != lines) {
      std::string diff = Cat("the engine's outcome is ", KindName(oa.kind), ", the spec model's ",
                             KindName(pred.kind));
      for (size_t i = 0; i < std::max(lines.size(), pred.lines.size()); ++i) {
        if (i >= lines.size() || i >= pred.lines.size() || lines[i] != pred.lines[i]) {
          diff += Cat("; the events differ first at index ", i);
          break;
        }
      }
      rep.Fail(kEventsMatchSpecModel, diff);
    }
    if (pred.fills != fills) {
      rep.Fail(kFillsFollowPriceTimePriority,
               Cat("the engine filled", FillsText(fills), "; the spec's walk fills",
                   FillsText(pred.fills)));
    }
    // Applying the events to the model checks each fill and close.
    std::set<uint64_t> touched;
    if (shadow_.Apply(seq, cmd, sa.events, rep, touched)) {
      shadow_.CheckConservation(touched, a_.open_requests(), a_.open_offers(), rep);
    }
    Feedback(touched);
    if (!setup) Count(cmd, oa, sa.events, pred);
    if (!rep.failures.empty()) {
      Record(rep, Cat("#", seq, setup ? " (setup)" : ""), cmd, sa.events, pred);
      return false;
    }
    return true;
  }

  void Count(const Command& cmd, const Outcome& out, const std::vector<Captured>& ev,
             const Prediction& pred) {
    Stats& s = results_.stats;
    s.max_open_orders = std::max(s.max_open_orders, shadow_.open_orders());
    if (out.kind == Outcome::Kind::kDuplicate) ++s.duplicates;
    if (out.kind != Outcome::Kind::kApplied) {
      for (const Captured& e : ev) ++s.rejections[CodeName(e.code)];
      return;
    }
    ++s.applied;
    s.skips.incompatible += pred.stats.incompatible;
    for (const auto& [why, n] : pred.stats.reasons) s.skips.reasons[why] += n;
    s.skips.slice += pred.stats.slice;
    s.skips.blend += pred.stats.blend;
    s.skips.headroom += pred.stats.headroom;
    size_t fills = 0;
    for (const Captured& e : ev) {
      if (e.kind == Captured::Kind::kAssignment) {
        ++fills;
        s.fill_fte += static_cast<uint64_t>(e.fte);
      }
      if (e.kind == Captured::Kind::kClosed) ++s.closes[ReasonName(e.reason)];
      if (e.kind == Captured::Kind::kAmended) {
        ++(e.priority == a_.last_sequence() ? s.amends_replacing : s.amends_keeping_priority);
      }
    }
    s.fills += fills;
    if (fills > 1) ++s.multi_fill_commands;
    if (const auto* c = std::get_if<SubmitRequest>(&cmd.body); c != nullptr && c->all_or_none) {
      ++(fills > 0 ? s.aon_filled : s.aon_unfilled);
    }
  }

  void Record(const Reporter& rep, const std::string& where, const Command& cmd,
              const std::vector<Captured>& ev, const Prediction& pred) {
    std::string names;
    for (const auto& [inv, message] : rep.failures) {
      names += Cat("  [", kInvariantNames[inv], "] ", message, "\n");
    }
    const std::string report =
        Cat("seed ", seed_, ", command ", where, "\n", names, "  command: ", DumpCommand(cmd),
            "\n  engine events:\n", EventsText(ev), "  spec model (", KindName(pred.kind), "):\n",
            LinesText(pred.lines), "  spec model's walk:\n", LinesText(pred.walk),
            "  reproduce: MATCHER_PROPERTY_SEEDS=", seed_, " MATCHER_PROPERTY_COMMANDS=", commands_,
            " MATCHER_PROPERTY_TRACE=1 ./build/dev/matcher/tests/matcher_property_test\n");
    std::set<Invariant> seen;
    for (const auto& [inv, message] : rep.failures) {
      if (seen.insert(inv).second) results_.failures[inv].push_back(report);
    }
    std::cerr << "matcher property failure:\n" << report;
  }

  uint64_t seed_;
  RandomCommandGenerator gen_;
  SeedResults& results_;
  uint64_t commands_;
  bool trace_;
  bool strict_digests_;
  bool fingerprint_only_;
  uint64_t fingerprint_commands_;
  uint64_t fingerprint_ = kFnvOffset;
  std::optional<uint64_t> prefix_fingerprint_;
  ShadowMarket shadow_;
  Engine a_;  // under test
  Engine b_;  // replay
  Engine c_;  // no-op twin
};

std::optional<std::vector<uint64_t>> SeedsFromEnvironment() {
  const char* text = std::getenv("MATCHER_PROPERTY_SEEDS");
  if (text == nullptr) return std::nullopt;
  std::vector<uint64_t> seeds;
  std::string_view s(text);
  while (!s.empty()) {
    const size_t comma = s.find(',');
    seeds.push_back(std::strtoull(std::string(s.substr(0, comma)).c_str(), nullptr, 10));
    s = comma == std::string_view::npos ? std::string_view() : s.substr(comma + 1);
  }
  return seeds;
}

std::vector<uint64_t> Seeds() {
  if (auto seeds = SeedsFromEnvironment()) return *seeds;
  std::vector<uint64_t> seeds;
  for (uint64_t seed = 1; seed <= kDefaultSeeds; ++seed) seeds.push_back(seed);
  return seeds;
}

RunConfig ConfigFromEnvironment() {
  RunConfig config;
  config.overridden = SeedsFromEnvironment().has_value();
  if (const char* text = std::getenv("MATCHER_PROPERTY_COMMANDS")) {
    config.commands = std::strtoull(text, nullptr, 10);
    config.overridden = true;
  }
  config.trace = std::getenv("MATCHER_PROPERTY_TRACE") != nullptr;
  config.strict_digests = std::getenv("MATCHER_PROPERTY_STRICT_DIGESTS") != nullptr;
  config.fingerprint_only = std::getenv("MATCHER_PROPERTY_FINGERPRINT_ONLY") != nullptr;
  return config;
}

constexpr std::string_view kFingerprintTag = "matcher-property-fingerprint ";

// Runs this test binary again for one seed in fingerprint-only mode and reads
// the fingerprint it prints, or explains why it could not.
std::optional<uint64_t> ChildFingerprint(uint64_t seed, uint64_t commands, std::string* error) {
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) {
    *error = Cat("cannot find this binary: ", ec.message());
    return std::nullopt;
  }
  const std::string command =
      Cat("env -u MATCHER_PROPERTY_TRACE -u MATCHER_PROPERTY_STRICT_DIGESTS ",
          "MATCHER_PROPERTY_FINGERPRINT_ONLY=1 MATCHER_PROPERTY_SEEDS=", seed,
          " MATCHER_PROPERTY_COMMANDS=", commands, " '", self.string(),
          "' --gtest_filter='Seeds/MatcherProperties.*' 2>&1");
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    *error = "popen failed";
    return std::nullopt;
  }
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  pclose(pipe);
  const size_t at = output.find(kFingerprintTag);
  if (at == std::string::npos) {
    *error = Cat("the child printed no fingerprint:\n", output);
    return std::nullopt;
  }
  return std::strtoull(output.c_str() + at + kFingerprintTag.size(), nullptr, 10);
}

void PrintSummary(uint64_t seed, const SeedResults& r, int64_t millis) {
  const Stats& s = r.stats;
  std::string rejections;
  for (const auto& [code, n] : s.rejections) rejections += Cat(" ", code, "=", n);
  std::string closes;
  for (const auto& [reason, n] : s.closes) closes += Cat(" ", reason, "=", n);
  std::string reasons;
  for (const auto& [why, n] : s.skips.reasons) reasons += Cat(" ", why, "=", n);
  std::cout << "seed " << seed << ": " << r.commands << " commands checked (+" << r.setup_commands
            << " setup) in " << millis << " ms, " << r.digest_checks << " digest comparisons\n"
            << "  applied " << s.applied << ", duplicates " << s.duplicates << ", rejected"
            << rejections << "\n"
            << "  fills " << s.fills << " (" << s.fill_fte << " milli-FTE), commands with >1 fill "
            << s.multi_fill_commands << ", closes" << closes << "\n"
            << "  amends keeping priority " << s.amends_keeping_priority << ", cancel-replace "
            << s.amends_replacing << ", all-or-none filled " << s.aon_filled << " / unfilled "
            << s.aon_unfilled << "\n"
            << "  walk skips: min slice " << s.skips.slice << ", blend " << s.skips.blend
            << ", contract headroom " << s.skips.headroom << ", incompatible "
            << s.skips.incompatible << " (first failed rule:" << reasons << "); largest book "
            << s.max_open_orders << " open orders\n";
}

uint64_t CountOf(const std::map<std::string, uint64_t>& counts, const std::string& key) {
  auto it = counts.find(key);
  return it == counts.end() ? 0 : it->second;
}

// The generator reaches every rule it is meant to exercise (asserted for the
// default seeds only; each seed's stream is deterministic).
void ExpectCoverage(const Stats& s) {
  EXPECT_GT(s.fills, 100u);
  EXPECT_GT(s.multi_fill_commands, 10u);
  EXPECT_GT(s.duplicates, 20u);
  for (const char* code :
       {"INVALID_ARGUMENT", "NOT_FOUND", "PERMISSION_DENIED", "FAILED_PRECONDITION"}) {
    EXPECT_GT(CountOf(s.rejections, code), 20u) << code;
  }
  EXPECT_GT(CountOf(s.rejections, "ALREADY_EXISTS"), 0u);
  for (const char* reason :
       {"FILLED", "EXHAUSTED", "CANCELLED", "WITHDRAWN", "IOC_REMAINDER", "AON_UNFILLED"}) {
    EXPECT_GT(CountOf(s.closes, reason), 20u) << reason;
  }
  EXPECT_GT(s.amends_keeping_priority, 20u);
  EXPECT_GT(s.amends_replacing, 20u);
  EXPECT_GT(s.aon_filled, 2u);
  EXPECT_GT(s.aon_unfilled, 20u);
  EXPECT_GT(s.skips.slice, 20u);
  EXPECT_GT(s.skips.blend, 3u);
  EXPECT_GT(s.skips.headroom, 20u);
  EXPECT_GT(CountOf(s.skips.reasons, "rate above card"), 3u);
  EXPECT_GT(CountOf(s.skips.reasons, "contract inactive"), 3u);
}

// ---------------------------------------------------------------------------
// One test per seed: its stream runs once and every invariant is reported
// under its own name.

class MatcherProperties : public ::testing::TestWithParam<uint64_t> {};

TEST_P(MatcherProperties, EveryInvariantHoldsOnRandomCommands) {
  const uint64_t seed = GetParam();
  const RunConfig config = ConfigFromEnvironment();
  SeedResults results;
  const auto start = std::chrono::steady_clock::now();
  SeedRun run(seed, config, results);
  run.Run();
  if (config.fingerprint_only) {
    std::cout << kFingerprintTag << run.prefix_fingerprint().value_or(0) << "\n";
    return;
  }
  const int64_t millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  PrintSummary(seed, results, millis);
  for (size_t i = 0; i < kInvariantCount; ++i) {
    const std::vector<std::string>& failures = results.failures[i];
    EXPECT_TRUE(failures.empty()) << "invariant " << kInvariantNames[i] << " does not hold:\n"
                                  << (failures.empty() ? "" : failures.front());
  }
  bool failed = false;
  for (const std::vector<std::string>& failures : results.failures) {
    failed = failed || !failures.empty();
  }
  if (!failed) {
    EXPECT_EQ(results.commands, config.commands);
    if (!config.overridden) ExpectCoverage(results.stats);
    const uint64_t prefix = std::min(config.commands, kCrossProcessCommands);
    std::string error;
    if (auto child = ChildFingerprint(seed, prefix, &error)) {
      EXPECT_EQ(*child, run.prefix_fingerprint().value_or(0))
          << "invariant ReplayIsDeterministic does not hold: a fresh process replaying seed "
          << seed << "'s first " << prefix << " commands emitted other events or reached "
          << "another StateDigest";
    } else {
      ADD_FAILURE() << "the cross-process replay could not run: " << error;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, MatcherProperties, ::testing::ValuesIn(Seeds()),
                         [](const ::testing::TestParamInfo<uint64_t>& param) {
                           return "Seed" + std::to_string(param.param);
                         });

}  // namespace
}  // namespace market::matcher
