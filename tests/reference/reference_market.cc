// Naive reference model of the market; see reference_market.h. Rule comments
// quote or name the spec section they implement (MATCHING.md, API.md,
// MATCHING_NOTES.md).
#include "tests/reference/reference_market.h"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

namespace market::reference {
namespace {

namespace v1 = marketplace::v1;

// Units and limits (MATCHING.md "Units", MATCHING_NOTES.md "Field validation").
constexpr size_t kMaxStringBytes = 128;
constexpr int64_t kMaxFteMilli = 1'000'000;
constexpr int64_t kMaxRate = 100'000'000;
constexpr int64_t kMaxCeilingMilli = 1'000'000'000;
constexpr int kMaxTags = 32;
constexpr int kMaxLocations = 64;
constexpr int kMaxAllowlist = 64;
constexpr int kMaxEngagementModels = 64;
constexpr int kMaxCardEntries = 100'000;
constexpr int64_t kNoLimit = std::numeric_limits<int64_t>::max();
constexpr char kAdmin[] = "admin";
constexpr char kSponsorPrefix[] = "sponsor:";
constexpr char kVendorPrefix[] = "vendor:";

// Why a command is refused: becomes one CommandRejected event.
struct Rejection {
  v1::RejectCode code = v1::REJECT_CODE_UNSPECIFIED;
  std::string field;
  std::string message;
};
using Verdict = std::optional<Rejection>;

Rejection Reject(v1::RejectCode code, std::string field, std::string message) {
  return Rejection{code, std::move(field), std::move(message)};
}

Rejection Invalid(std::string field, std::string message) {
  return Reject(v1::INVALID_ARGUMENT, std::move(field), std::move(message));
}

Rejection Denied(std::string field, std::string message) {
  return Reject(v1::PERMISSION_DENIED, std::move(field), std::move(message));
}

std::string Indexed(const std::string& field, int index) {
  return field + "[" + std::to_string(index) + "]";
}

// ---------------------------------------------------------------------------
// Field checks (check 3).

Verdict CheckString(const std::string& value, const std::string& field, bool required) {
  if (value.size() > kMaxStringBytes) return Invalid(field, "longer than 128 bytes");
  if (required && value.empty()) return Invalid(field, "must not be empty");
  return std::nullopt;
}

Verdict CheckRange(int64_t value, int64_t low, int64_t high, const std::string& field) {
  if (value < low || value > high) {
    return Invalid(field, "must be " + std::to_string(low) + ".." + std::to_string(high));
  }
  return std::nullopt;
}

// "0 leaves a field unchanged" / "0 = any": 0 or low..high.
Verdict CheckZeroOrRange(int64_t value, int64_t low, int64_t high, const std::string& field) {
  if (value == 0) return std::nullopt;
  return CheckRange(value, low, high, field);
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Exactly YYYY-MM-DD, a real calendar day, 2000-01-01 .. 2199-12-31. Valid dates
// compare chronologically as strings, so no day number is needed.
bool IsValidDate(const std::string& date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return false;
  for (size_t i = 0; i < date.size(); ++i) {
    if (i != 4 && i != 7 && !IsDigit(date[i])) return false;
  }
  const int year = std::stoi(date.substr(0, 4));
  const int month = std::stoi(date.substr(5, 2));
  const int day = std::stoi(date.substr(8, 2));
  if (year < 2000 || year > 2199 || month < 1 || month > 12) return false;
  return day >= 1 && day <= DaysInMonth(year, month);
}

Verdict CheckDate(const std::string& value, const std::string& field) {
  if (!IsValidDate(value)) return Invalid(field, "not a date YYYY-MM-DD in 2000..2199");
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// State.

struct Location {
  v1::LocationKind kind = v1::LOCATION_KIND_UNSPECIFIED;
  std::string parent;
};

// (role, seniority, country): std::string compares bytes as unsigned chars.
using CardKey = std::tuple<std::string, int32_t, std::string>;

struct Contract {
  std::string contract_id;
  std::string sponsor_id;
  std::string vendor_id;
  bool active = false;
  int64_t max_fte_milli = 0;
  std::map<CardKey, int64_t> card;
  int64_t used_fte_milli = 0;  // every FTE ever assigned under the contract
};

struct RequestState {
  v1::Request order;
  bool open = true;
  std::set<std::string> vendors;  // every vendor of every fill, amends included
};

struct OfferState {
  v1::Offer order;
  bool open = true;
};

// Collects the events of one command, numbering them from 0.
class Emitter {
 public:
  Emitter(uint64_t sequence, uint64_t timestamp, std::string principal)
      : sequence_(sequence), timestamp_(timestamp), principal_(std::move(principal)) {}

  v1::Event* Add() {
    v1::Event& event = events_.emplace_back();
    event.set_sequence(sequence_);
    event.set_index(static_cast<uint32_t>(events_.size() - 1));
    event.set_timestamp_unix_nanos(timestamp_);
    event.set_principal(principal_);
    return &event;
  }

  void AddRejection(const Rejection& rejection) {
    v1::CommandRejected* body = Add()->mutable_command_rejected();
    body->set_code(rejection.code);
    body->set_field(rejection.field);
    body->set_message(rejection.message);
  }

  uint64_t sequence() const { return sequence_; }
  std::vector<v1::Event> Take() { return std::move(events_); }

 private:
  uint64_t sequence_;
  uint64_t timestamp_;
  std::string principal_;
  std::vector<v1::Event> events_;
};

void EmitRequestClosed(Emitter* out, const std::string& request_id, v1::CloseReason reason) {
  v1::RequestClosed* body = out->Add()->mutable_request_closed();
  body->set_request_id(request_id);
  body->set_reason(reason);
}

void EmitOfferClosed(Emitter* out, const std::string& offer_id, v1::CloseReason reason) {
  v1::OfferClosed* body = out->Add()->mutable_offer_closed();
  body->set_offer_id(offer_id);
  body->set_reason(reason);
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& list,
              const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

// ---------------------------------------------------------------------------

struct ReferenceMarket::State {
  std::set<std::string> roles;
  std::map<std::string, Location> locations;
  std::map<std::string, v1::ParticipantKind> participants;
  std::map<std::string, Contract> contracts;
  std::map<std::string, RequestState> requests;               // open and closed, by id
  std::map<std::string, OfferState> offers;                   // open and closed, by id
  std::set<std::pair<std::string, std::string>> client_refs;  // (participant, ref)

  Verdict Apply(uint64_t sequence, const v1::Command& command, Emitter* out);

  // Principals (check 1).
  std::optional<std::string> Actor(const std::string& principal, const std::string& prefix,
                                   v1::ParticipantKind kind) const;

  // Reference lookups.
  bool IsLocationOfKind(const std::string& code, v1::LocationKind kind) const;
  bool IsParticipantOfKind(const std::string& id, v1::ParticipantKind kind) const;
  Verdict CheckRole(const std::string& role, const std::string& field) const;
  Verdict CheckCardKey(const std::string& role, int32_t seniority, const std::string& country,
                       const std::string& prefix) const;

  // Orders.
  Verdict Submit(uint64_t sequence, const std::string& principal, const v1::SubmitRequest& c,
                 Emitter* out);
  Verdict ValidateSubmit(const v1::SubmitRequest& c) const;
  Verdict Publish(uint64_t sequence, const std::string& principal, const v1::PublishOffer& c,
                  Emitter* out);
  Verdict ValidatePublish(const v1::PublishOffer& c) const;
  Verdict AmendRequest(uint64_t sequence, const std::string& principal, const v1::AmendRequest& c,
                       Emitter* out);
  Verdict AmendOffer(uint64_t sequence, const std::string& principal, const v1::AmendOffer& c,
                     Emitter* out);
  Verdict CancelRequest(const std::string& principal, const v1::CancelRequest& c, Emitter* out);
  Verdict WithdrawOffer(const std::string& principal, const v1::WithdrawOffer& c, Emitter* out);
  bool Remember(const std::string& participant, const std::string& client_ref);

  // Matching.
  Contract* ContractFor(const std::string& sponsor_id, const std::string& vendor_id);
  bool Inside(const v1::Offer& offer,
              const google::protobuf::RepeatedPtrField<std::string>& locations) const;
  bool Compatible(const RequestState& request, const OfferState& offer);
  bool TryFill(RequestState* request, OfferState* offer, bool request_is_incoming, Emitter* out);
  void WalkOffers(RequestState* request, Emitter* out);
  void WalkRequests(OfferState* offer, Emitter* out);
  bool AllOrNonePlanFills(const std::string& request_id) const;

  // Reference data.
  Verdict DefineRole(const std::string& principal, const v1::DefineRole& c, Emitter* out);
  Verdict DefineLocation(const std::string& principal, const v1::DefineLocation& c, Emitter* out);
  Verdict UpsertParticipant(const std::string& principal, const v1::UpsertParticipant& c,
                            Emitter* out);
  Verdict UpsertContract(const std::string& principal, const v1::UpsertContract& c, Emitter* out);
  Verdict ValidateContract(const v1::UpsertContract& c) const;
  Verdict PatchRateCard(const std::string& principal, const v1::PatchRateCard& c, Emitter* out);
  Verdict ValidatePatch(const v1::PatchRateCard& c) const;
};

// ---------------------------------------------------------------------------
// Dispatch.

Verdict ReferenceMarket::State::Apply(uint64_t sequence, const v1::Command& command, Emitter* out) {
  const std::string& who = command.principal();
  switch (command.body_case()) {
    case v1::Command::kSubmitRequest:
      return Submit(sequence, who, command.submit_request(), out);
    case v1::Command::kAmendRequest:
      return AmendRequest(sequence, who, command.amend_request(), out);
    case v1::Command::kCancelRequest:
      return CancelRequest(who, command.cancel_request(), out);
    case v1::Command::kPublishOffer:
      return Publish(sequence, who, command.publish_offer(), out);
    case v1::Command::kAmendOffer:
      return AmendOffer(sequence, who, command.amend_offer(), out);
    case v1::Command::kWithdrawOffer:
      return WithdrawOffer(who, command.withdraw_offer(), out);
    case v1::Command::kDefineRole:
      return DefineRole(who, command.define_role(), out);
    case v1::Command::kDefineLocation:
      return DefineLocation(who, command.define_location(), out);
    case v1::Command::kUpsertParticipant:
      return UpsertParticipant(who, command.upsert_participant(), out);
    case v1::Command::kUpsertContract:
      return UpsertContract(who, command.upsert_contract(), out);
    case v1::Command::kPatchRateCard:
      return PatchRateCard(who, command.patch_rate_card(), out);
    case v1::Command::BODY_NOT_SET:
      break;
  }
  return Invalid("body", "command has no body");
}

// "sponsor:<id>" / "vendor:<id>" whose id is a known participant of that kind.
std::optional<std::string> ReferenceMarket::State::Actor(const std::string& principal,
                                                         const std::string& prefix,
                                                         v1::ParticipantKind kind) const {
  if (principal.size() < prefix.size() || principal.compare(0, prefix.size(), prefix) != 0) {
    return std::nullopt;
  }
  std::string id = principal.substr(prefix.size());
  if (!IsParticipantOfKind(id, kind)) return std::nullopt;
  return id;
}

bool ReferenceMarket::State::IsLocationOfKind(const std::string& code,
                                              v1::LocationKind kind) const {
  auto it = locations.find(code);
  return it != locations.end() && it->second.kind == kind;
}

bool ReferenceMarket::State::IsParticipantOfKind(const std::string& id,
                                                 v1::ParticipantKind kind) const {
  auto it = participants.find(id);
  return it != participants.end() && it->second == kind;
}

Verdict ReferenceMarket::State::CheckRole(const std::string& role, const std::string& field) const {
  if (Verdict v = CheckString(role, field, true)) return v;
  if (!roles.contains(role)) return Invalid(field, "unknown role");
  return std::nullopt;
}

Verdict ReferenceMarket::State::CheckCardKey(const std::string& role, int32_t seniority,
                                             const std::string& country,
                                             const std::string& prefix) const {
  if (Verdict v = CheckRole(role, prefix + ".role")) return v;
  if (Verdict v = CheckRange(seniority, 1, 5, prefix + ".seniority")) return v;
  if (Verdict v = CheckString(country, prefix + ".country", true)) return v;
  if (!IsLocationOfKind(country, v1::COUNTRY)) return Invalid(prefix + ".country", "unknown");
  return std::nullopt;
}

bool ReferenceMarket::State::Remember(const std::string& participant,
                                      const std::string& client_ref) {
  return client_refs.insert({participant, client_ref}).second;
}

// ---------------------------------------------------------------------------
// Submit a request.

Verdict ReferenceMarket::State::ValidateSubmit(const v1::SubmitRequest& c) const {
  if (Verdict v = CheckString(c.client_ref(), "client_ref", true)) return v;
  if (Verdict v = CheckRole(c.role(), "role")) return v;
  if (Verdict v = CheckZeroOrRange(c.min_seniority(), 1, 5, "min_seniority")) return v;
  if (c.locations_size() < 1 || c.locations_size() > kMaxLocations) {
    return Invalid("locations", "1..64 locations");
  }
  for (int i = 0; i < c.locations_size(); ++i) {
    const std::string field = Indexed("locations", i);
    if (Verdict v = CheckString(c.locations(i), field, true)) return v;
    if (!locations.contains(c.locations(i))) return Invalid(field, "unknown location");
  }
  if (Verdict v = CheckRange(c.fte_milli(), 1, kMaxFteMilli, "fte_milli")) return v;
  if (Verdict v = CheckRange(c.min_slice_milli(), 0, c.fte_milli(), "min_slice_milli")) return v;
  if (c.max_vendors() < 0) return Invalid("max_vendors", "must be >= 0");
  if (Verdict v = CheckRange(c.max_rate(), 1, kMaxRate, "max_rate")) return v;
  if (Verdict v = CheckDate(c.start_date(), "start_date")) return v;
  if (Verdict v = CheckDate(c.end_date(), "end_date")) return v;
  if (c.end_date() < c.start_date()) return Invalid("end_date", "before start_date");
  if (c.engagement_models_size() > kMaxEngagementModels) {
    return Invalid("engagement_models", "more than 64");
  }
  for (int i = 0; i < c.engagement_models_size(); ++i) {
    const int model = c.engagement_models(i);
    if (!v1::EngagementModel_IsValid(model) || model == v1::ENGAGEMENT_MODEL_UNSPECIFIED) {
      return Invalid(Indexed("engagement_models", i), "not FSP, FSO or TM");
    }
  }
  if (c.required_tags_size() > kMaxTags) return Invalid("required_tags", "more than 32");
  for (int i = 0; i < c.required_tags_size(); ++i) {
    if (Verdict v = CheckString(c.required_tags(i), Indexed("required_tags", i), false)) {
      return v;
    }
  }
  if (c.vendor_allowlist_size() > kMaxAllowlist) {
    return Invalid("vendor_allowlist", "more than 64");
  }
  for (int i = 0; i < c.vendor_allowlist_size(); ++i) {
    const std::string field = Indexed("vendor_allowlist", i);
    if (Verdict v = CheckString(c.vendor_allowlist(i), field, true)) return v;
    if (!IsParticipantOfKind(c.vendor_allowlist(i), v1::VENDOR)) {
      return Invalid(field, "unknown vendor");
    }
  }
  if (!v1::TimeInForce_IsValid(c.time_in_force())) return Invalid("time_in_force", "unknown");
  if (c.all_or_none() && c.time_in_force() != v1::IOC) {
    return Invalid("all_or_none", "only with IOC");
  }
  return std::nullopt;
}

namespace {

v1::Request StoredRequest(const v1::SubmitRequest& c, const std::string& sponsor_id,
                          uint64_t sequence) {
  v1::Request r;
  r.set_sponsor_id(sponsor_id);
  r.set_client_ref(c.client_ref());
  r.set_role(c.role());
  r.set_min_seniority(c.min_seniority() == 0 ? 1 : c.min_seniority());
  *r.mutable_locations() = c.locations();
  r.set_fte_milli(c.fte_milli());
  r.set_min_slice_milli(c.min_slice_milli());
  r.set_max_vendors(c.max_vendors());
  r.set_max_rate(c.max_rate());
  r.set_start_date(c.start_date());
  r.set_end_date(c.end_date());
  *r.mutable_engagement_models() = c.engagement_models();
  *r.mutable_required_tags() = c.required_tags();
  *r.mutable_vendor_allowlist() = c.vendor_allowlist();
  r.set_time_in_force(c.time_in_force() == v1::TIME_IN_FORCE_UNSPECIFIED ? v1::GTC
                                                                         : c.time_in_force());
  r.set_all_or_none(c.all_or_none());
  r.set_request_id("R" + std::to_string(sequence));
  r.set_remaining_milli(c.fte_milli());
  r.set_priority_sequence(sequence);
  return r;
}

// Closes the incoming request if it ended: FILLED, else IOC_REMAINDER for IOC.
void FinishIncomingRequest(RequestState* request, Emitter* out) {
  if (request->order.remaining_milli() == 0) {
    request->open = false;
    EmitRequestClosed(out, request->order.request_id(), v1::FILLED);
  } else if (request->order.time_in_force() == v1::IOC) {
    request->open = false;
    EmitRequestClosed(out, request->order.request_id(), v1::IOC_REMAINDER);
  }
}

}  // namespace

Verdict ReferenceMarket::State::Submit(uint64_t sequence, const std::string& principal,
                                       const v1::SubmitRequest& c, Emitter* out) {
  const std::optional<std::string> sponsor = Actor(principal, kSponsorPrefix, v1::SPONSOR);
  if (!sponsor) return Denied("principal", "not a known sponsor");
  if (!c.sponsor_id().empty() && c.sponsor_id() != *sponsor) {
    return Denied("sponsor_id", "not the principal's own id");
  }
  if (Verdict v = ValidateSubmit(c)) return v;
  if (!Remember(*sponsor, c.client_ref())) return std::nullopt;  // duplicate: no event

  const std::string id = "R" + std::to_string(sequence);
  RequestState& request = requests[id];
  request.order = StoredRequest(c, *sponsor, sequence);
  v1::RequestAccepted* accepted = out->Add()->mutable_request_accepted();
  accepted->set_request_id(id);
  *accepted->mutable_request() = request.order;

  if (request.order.all_or_none() && !AllOrNonePlanFills(id)) {
    request.open = false;
    EmitRequestClosed(out, id, v1::AON_UNFILLED);
    return std::nullopt;
  }
  WalkOffers(&request, out);
  FinishIncomingRequest(&request, out);
  return std::nullopt;
}

// The dry run: the very same walk on a throwaway copy of the whole market.
bool ReferenceMarket::State::AllOrNonePlanFills(const std::string& request_id) const {
  State copy = *this;
  Emitter scratch(0, 0, "");
  RequestState& request = copy.requests[request_id];
  copy.WalkOffers(&request, &scratch);
  return request.order.remaining_milli() == 0;
}

// ---------------------------------------------------------------------------
// Publish an offer.

Verdict ReferenceMarket::State::ValidatePublish(const v1::PublishOffer& c) const {
  if (Verdict v = CheckString(c.client_ref(), "client_ref", true)) return v;
  if (Verdict v = CheckRole(c.role(), "role")) return v;
  if (Verdict v = CheckRange(c.seniority(), 1, 5, "seniority")) return v;
  if (Verdict v = CheckString(c.country(), "country", true)) return v;
  if (!IsLocationOfKind(c.country(), v1::COUNTRY)) return Invalid("country", "not a country");
  if (!c.hub().empty()) {
    if (Verdict v = CheckString(c.hub(), "hub", false)) return v;
    auto hub = locations.find(c.hub());
    if (hub == locations.end() || hub->second.kind != v1::HUB ||
        hub->second.parent != c.country()) {
      return Invalid("hub", "not a hub of the offer's country");
    }
  }
  if (Verdict v = CheckRange(c.fte_milli(), 1, kMaxFteMilli, "fte_milli")) return v;
  if (Verdict v = CheckRange(c.min_slice_milli(), 0, c.fte_milli(), "min_slice_milli")) return v;
  if (Verdict v = CheckRange(c.rate(), 1, kMaxRate, "rate")) return v;
  if (Verdict v = CheckDate(c.available_from(), "available_from")) return v;
  if (!c.available_until().empty()) {
    if (Verdict v = CheckDate(c.available_until(), "available_until")) return v;
    if (c.available_until() < c.available_from()) {
      return Invalid("available_until", "before available_from");
    }
  }
  if (!v1::EngagementModel_IsValid(c.engagement_model())) {
    return Invalid("engagement_model", "unknown");
  }
  if (c.tags_size() > kMaxTags) return Invalid("tags", "more than 32");
  for (int i = 0; i < c.tags_size(); ++i) {
    if (Verdict v = CheckString(c.tags(i), Indexed("tags", i), false)) return v;
  }
  if (!v1::TimeInForce_IsValid(c.time_in_force())) return Invalid("time_in_force", "unknown");
  return std::nullopt;
}

namespace {

v1::Offer StoredOffer(const v1::PublishOffer& c, const std::string& vendor_id, uint64_t sequence) {
  v1::Offer o;
  o.set_vendor_id(vendor_id);
  o.set_client_ref(c.client_ref());
  o.set_role(c.role());
  o.set_seniority(c.seniority());
  o.set_country(c.country());
  o.set_hub(c.hub());
  o.set_fte_milli(c.fte_milli());
  o.set_min_slice_milli(c.min_slice_milli());
  o.set_rate(c.rate());
  o.set_available_from(c.available_from());
  o.set_available_until(c.available_until());
  o.set_engagement_model(
      c.engagement_model() == v1::ENGAGEMENT_MODEL_UNSPECIFIED ? v1::FSP : c.engagement_model());
  *o.mutable_tags() = c.tags();
  o.set_time_in_force(c.time_in_force() == v1::TIME_IN_FORCE_UNSPECIFIED ? v1::GTC
                                                                         : c.time_in_force());
  o.set_offer_id("O" + std::to_string(sequence));
  o.set_remaining_milli(c.fte_milli());
  o.set_priority_sequence(sequence);
  return o;
}

// Closes the incoming offer if it ended: EXHAUSTED, else IOC_REMAINDER for IOC.
void FinishIncomingOffer(OfferState* offer, Emitter* out) {
  if (offer->order.remaining_milli() == 0) {
    offer->open = false;
    EmitOfferClosed(out, offer->order.offer_id(), v1::EXHAUSTED);
  } else if (offer->order.time_in_force() == v1::IOC) {
    offer->open = false;
    EmitOfferClosed(out, offer->order.offer_id(), v1::IOC_REMAINDER);
  }
}

}  // namespace

Verdict ReferenceMarket::State::Publish(uint64_t sequence, const std::string& principal,
                                        const v1::PublishOffer& c, Emitter* out) {
  const std::optional<std::string> vendor = Actor(principal, kVendorPrefix, v1::VENDOR);
  if (!vendor) return Denied("principal", "not a known vendor");
  if (!c.vendor_id().empty() && c.vendor_id() != *vendor) {
    return Denied("vendor_id", "not the principal's own id");
  }
  if (Verdict v = ValidatePublish(c)) return v;
  if (!Remember(*vendor, c.client_ref())) return std::nullopt;  // duplicate: no event

  const std::string id = "O" + std::to_string(sequence);
  OfferState& offer = offers[id];
  offer.order = StoredOffer(c, *vendor, sequence);
  v1::OfferAccepted* accepted = out->Add()->mutable_offer_accepted();
  accepted->set_offer_id(id);
  *accepted->mutable_offer() = offer.order;
  WalkRequests(&offer, out);
  FinishIncomingOffer(&offer, out);
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Amend, cancel, withdraw.

Verdict ReferenceMarket::State::AmendRequest(uint64_t sequence, const std::string& principal,
                                             const v1::AmendRequest& c, Emitter* out) {
  const std::optional<std::string> sponsor = Actor(principal, kSponsorPrefix, v1::SPONSOR);
  if (!sponsor) return Denied("principal", "not a known sponsor");
  auto it = requests.find(c.request_id());
  if (it != requests.end() && it->second.order.sponsor_id() != *sponsor) {
    return Denied("request_id", "another sponsor's request");
  }
  if (Verdict v = CheckString(c.request_id(), "request_id", true)) return v;
  if (Verdict v = CheckString(c.client_ref(), "client_ref", true)) return v;
  if (Verdict v = CheckZeroOrRange(c.fte_milli(), 1, kMaxFteMilli, "fte_milli")) return v;
  if (Verdict v = CheckZeroOrRange(c.max_rate(), 1, kMaxRate, "max_rate")) return v;
  if (it == requests.end()) return Reject(v1::NOT_FOUND, "request_id", "no such request");
  if (!it->second.open) return Reject(v1::FAILED_PRECONDITION, "request_id", "closed");
  if (!Remember(*sponsor, c.client_ref())) return std::nullopt;  // duplicate: no event

  RequestState& request = it->second;
  v1::Request& order = request.order;
  const int64_t remaining = c.fte_milli() == 0 ? order.remaining_milli() : c.fte_milli();
  const int64_t max_rate = c.max_rate() == 0 ? order.max_rate() : c.max_rate();
  // Only a lower (or equal) remaining at the same price keeps time priority.
  const bool keeps_priority = remaining <= order.remaining_milli() && max_rate == order.max_rate();
  order.set_remaining_milli(remaining);
  order.set_max_rate(max_rate);
  if (!keeps_priority) order.set_priority_sequence(sequence);

  v1::RequestAmended* amended = out->Add()->mutable_request_amended();
  amended->set_request_id(order.request_id());
  amended->set_remaining_milli(order.remaining_milli());
  amended->set_max_rate(order.max_rate());
  amended->set_priority_sequence(order.priority_sequence());
  amended->set_client_ref(c.client_ref());
  if (!keeps_priority) {  // cancel-replace: matched again as incoming
    WalkOffers(&request, out);
    FinishIncomingRequest(&request, out);
  }
  return std::nullopt;
}

Verdict ReferenceMarket::State::AmendOffer(uint64_t sequence, const std::string& principal,
                                           const v1::AmendOffer& c, Emitter* out) {
  const std::optional<std::string> vendor = Actor(principal, kVendorPrefix, v1::VENDOR);
  if (!vendor) return Denied("principal", "not a known vendor");
  auto it = offers.find(c.offer_id());
  if (it != offers.end() && it->second.order.vendor_id() != *vendor) {
    return Denied("offer_id", "another vendor's offer");
  }
  if (Verdict v = CheckString(c.offer_id(), "offer_id", true)) return v;
  if (Verdict v = CheckString(c.client_ref(), "client_ref", true)) return v;
  if (Verdict v = CheckZeroOrRange(c.fte_milli(), 1, kMaxFteMilli, "fte_milli")) return v;
  if (Verdict v = CheckZeroOrRange(c.rate(), 1, kMaxRate, "rate")) return v;
  if (it == offers.end()) return Reject(v1::NOT_FOUND, "offer_id", "no such offer");
  if (!it->second.open) return Reject(v1::FAILED_PRECONDITION, "offer_id", "closed");
  if (!Remember(*vendor, c.client_ref())) return std::nullopt;  // duplicate: no event

  OfferState& offer = it->second;
  v1::Offer& order = offer.order;
  const int64_t remaining = c.fte_milli() == 0 ? order.remaining_milli() : c.fte_milli();
  const int64_t rate = c.rate() == 0 ? order.rate() : c.rate();
  const bool keeps_priority = remaining <= order.remaining_milli() && rate == order.rate();
  order.set_remaining_milli(remaining);
  order.set_rate(rate);
  if (!keeps_priority) order.set_priority_sequence(sequence);

  v1::OfferAmended* amended = out->Add()->mutable_offer_amended();
  amended->set_offer_id(order.offer_id());
  amended->set_remaining_milli(order.remaining_milli());
  amended->set_rate(order.rate());
  amended->set_priority_sequence(order.priority_sequence());
  amended->set_client_ref(c.client_ref());
  if (!keeps_priority) {  // cancel-replace: matched again as incoming
    WalkRequests(&offer, out);
    FinishIncomingOffer(&offer, out);
  }
  return std::nullopt;
}

Verdict ReferenceMarket::State::CancelRequest(const std::string& principal,
                                              const v1::CancelRequest& c, Emitter* out) {
  const std::optional<std::string> sponsor = Actor(principal, kSponsorPrefix, v1::SPONSOR);
  if (!sponsor) return Denied("principal", "not a known sponsor");
  auto it = requests.find(c.request_id());
  if (it != requests.end() && it->second.order.sponsor_id() != *sponsor) {
    return Denied("request_id", "another sponsor's request");
  }
  if (Verdict v = CheckString(c.request_id(), "request_id", true)) return v;
  if (it == requests.end()) return Reject(v1::NOT_FOUND, "request_id", "no such request");
  if (!it->second.open) return Reject(v1::FAILED_PRECONDITION, "request_id", "closed");
  it->second.open = false;
  EmitRequestClosed(out, c.request_id(), v1::CANCELLED);
  return std::nullopt;
}

Verdict ReferenceMarket::State::WithdrawOffer(const std::string& principal,
                                              const v1::WithdrawOffer& c, Emitter* out) {
  const std::optional<std::string> vendor = Actor(principal, kVendorPrefix, v1::VENDOR);
  if (!vendor) return Denied("principal", "not a known vendor");
  auto it = offers.find(c.offer_id());
  if (it != offers.end() && it->second.order.vendor_id() != *vendor) {
    return Denied("offer_id", "another vendor's offer");
  }
  if (Verdict v = CheckString(c.offer_id(), "offer_id", true)) return v;
  if (it == offers.end()) return Reject(v1::NOT_FOUND, "offer_id", "no such offer");
  if (!it->second.open) return Reject(v1::FAILED_PRECONDITION, "offer_id", "closed");
  it->second.open = false;
  EmitOfferClosed(out, c.offer_id(), v1::WITHDRAWN);
  return std::nullopt;
}

// ---------------------------------------------------------------------------
// Matching (MATCHING.md "Compatibility", "Priority", "Fill size").

Contract* ReferenceMarket::State::ContractFor(const std::string& sponsor_id,
                                              const std::string& vendor_id) {
  for (auto& [id, contract] : contracts) {
    if (contract.sponsor_id == sponsor_id && contract.vendor_id == vendor_id) return &contract;
  }
  return nullptr;
}

// The offer is inside the list when its region, its country or its hub is listed.
bool ReferenceMarket::State::Inside(
    const v1::Offer& offer, const google::protobuf::RepeatedPtrField<std::string>& list) const {
  if (Contains(list, offer.country())) return true;
  if (!offer.hub().empty() && Contains(list, offer.hub())) return true;
  auto country = locations.find(offer.country());
  if (country == locations.end() || country->second.parent.empty()) return false;
  return Contains(list, country->second.parent);
}

bool ReferenceMarket::State::Compatible(const RequestState& request, const OfferState& offer) {
  const v1::Request& r = request.order;
  const v1::Offer& o = offer.order;
  // 1. same role; seniority.
  if (o.role() != r.role() || o.seniority() < r.min_seniority()) return false;
  // 2. location.
  if (!Inside(o, r.locations())) return false;
  // 3. dates.
  if (o.available_from() > r.start_date()) return false;
  if (!o.available_until().empty() && o.available_until() < r.end_date()) return false;
  // 4. engagement model.
  if (r.engagement_models_size() > 0 &&
      std::find(r.engagement_models().begin(), r.engagement_models().end(), o.engagement_model()) ==
          r.engagement_models().end()) {
    return false;
  }
  // 5. required tags.
  for (const std::string& tag : r.required_tags()) {
    if (!Contains(o.tags(), tag)) return false;
  }
  // 6. active contract; allowlist.
  const Contract* contract = ContractFor(r.sponsor_id(), o.vendor_id());
  if (contract == nullptr || !contract->active) return false;
  if (r.vendor_allowlist_size() > 0 && !Contains(r.vendor_allowlist(), o.vendor_id())) {
    return false;
  }
  // 7. price: request cap, and the card's exact entry when there is one.
  if (o.rate() > r.max_rate()) return false;
  auto entry = contract->card.find(CardKey{r.role(), o.seniority(), o.country()});
  if (entry != contract->card.end() && o.rate() > entry->second) return false;
  return true;
}

namespace {

int64_t Headroom(const Contract& contract) {
  if (contract.max_fte_milli == 0) return kNoLimit;
  return std::max<int64_t>(0, contract.max_fte_milli - contract.used_fte_milli);
}

void EmitAssignment(Emitter* out, const RequestState& request, const OfferState& offer,
                    const std::string& contract_id, int64_t q) {
  v1::Event* event = out->Add();
  v1::AssignmentCreated* a = event->mutable_assignment_created();
  a->set_assignment_id("A" + std::to_string(event->sequence()) + "-" +
                       std::to_string(event->index()));
  a->set_request_id(request.order.request_id());
  a->set_offer_id(offer.order.offer_id());
  a->set_contract_id(contract_id);
  a->set_sponsor_id(request.order.sponsor_id());
  a->set_vendor_id(offer.order.vendor_id());
  a->set_role(request.order.role());
  a->set_seniority(offer.order.seniority());
  a->set_country(offer.order.country());
  a->set_hub(offer.order.hub());
  a->set_fte_milli(q);
  a->set_rate(offer.order.rate());
  a->set_start_date(request.order.start_date());
  a->set_end_date(request.order.end_date());
  a->set_request_remaining_milli(request.order.remaining_milli());
  a->set_offer_remaining_milli(offer.order.remaining_milli());
}

}  // namespace

// Makes the fill of a compatible pair if the fill-size rules allow it; emits the
// assignment and, right after it, the close of the resting order it emptied.
bool ReferenceMarket::State::TryFill(RequestState* request, OfferState* offer,
                                     bool request_is_incoming, Emitter* out) {
  v1::Request& r = request->order;
  v1::Offer& o = offer->order;
  Contract* contract = ContractFor(r.sponsor_id(), o.vendor_id());
  if (contract == nullptr) return false;
  const int64_t q = std::min({r.remaining_milli(), o.remaining_milli(), Headroom(*contract)});
  if (q <= 0) return false;
  if (!(q >= r.min_slice_milli() || q == r.remaining_milli())) return false;
  if (!(q >= o.min_slice_milli() || q == o.remaining_milli())) return false;
  if (r.max_vendors() > 0 && !request->vendors.contains(o.vendor_id()) &&
      static_cast<int64_t>(request->vendors.size()) + 1 > r.max_vendors()) {
    return false;
  }
  r.set_remaining_milli(r.remaining_milli() - q);
  o.set_remaining_milli(o.remaining_milli() - q);
  contract->used_fte_milli += q;
  request->vendors.insert(o.vendor_id());

  EmitAssignment(out, *request, *offer, contract->contract_id, q);
  if (request_is_incoming && o.remaining_milli() == 0) {
    offer->open = false;
    EmitOfferClosed(out, o.offer_id(), v1::EXHAUSTED);
  }
  if (!request_is_incoming && r.remaining_milli() == 0) {
    request->open = false;
    EmitRequestClosed(out, r.request_id(), v1::FILLED);
  }
  return true;
}

// Incoming request: resting offers by rate ascending, then sequence ascending.
void ReferenceMarket::State::WalkOffers(RequestState* request, Emitter* out) {
  std::vector<OfferState*> book;
  for (auto& [id, offer] : offers) {
    if (offer.open) book.push_back(&offer);
  }
  std::sort(book.begin(), book.end(), [](const OfferState* a, const OfferState* b) {
    return std::make_pair(a->order.rate(), a->order.priority_sequence()) <
           std::make_pair(b->order.rate(), b->order.priority_sequence());
  });
  for (OfferState* offer : book) {
    if (request->order.remaining_milli() == 0) break;
    if (Compatible(*request, *offer)) TryFill(request, offer, true, out);
  }
}

// Incoming offer: resting requests by max_rate descending, then sequence ascending.
void ReferenceMarket::State::WalkRequests(OfferState* offer, Emitter* out) {
  std::vector<RequestState*> book;
  for (auto& [id, request] : requests) {
    if (request.open) book.push_back(&request);
  }
  std::sort(book.begin(), book.end(), [](const RequestState* a, const RequestState* b) {
    if (a->order.max_rate() != b->order.max_rate()) {
      return a->order.max_rate() > b->order.max_rate();
    }
    return a->order.priority_sequence() < b->order.priority_sequence();
  });
  for (RequestState* request : book) {
    if (offer->order.remaining_milli() == 0) break;
    if (Compatible(*request, *offer)) TryFill(request, offer, false, out);
  }
}

// ---------------------------------------------------------------------------
// Reference data.

Verdict ReferenceMarket::State::DefineRole(const std::string& principal, const v1::DefineRole& c,
                                           Emitter* out) {
  if (principal != kAdmin) return Denied("principal", "reference data needs admin");
  if (Verdict v = CheckString(c.code(), "code", true)) return v;
  if (Verdict v = CheckString(c.name(), "name", false)) return v;
  if (Verdict v = CheckString(c.family(), "family", false)) return v;
  roles.insert(c.code());
  v1::RoleDefined* body = out->Add()->mutable_role_defined();
  body->set_code(c.code());
  body->set_name(c.name());
  body->set_family(c.family());
  return std::nullopt;
}

Verdict ReferenceMarket::State::DefineLocation(const std::string& principal,
                                               const v1::DefineLocation& c, Emitter* out) {
  if (principal != kAdmin) return Denied("principal", "reference data needs admin");
  if (!v1::LocationKind_IsValid(c.kind()) || c.kind() == v1::LOCATION_KIND_UNSPECIFIED) {
    return Invalid("kind", "not REGION, COUNTRY or HUB");
  }
  auto existing = locations.find(c.code());
  if (existing != locations.end() && existing->second.kind != c.kind()) {
    return Invalid("kind", "a location keeps its kind");
  }
  if (Verdict v = CheckString(c.code(), "code", true)) return v;
  if (Verdict v = CheckString(c.parent(), "parent", false)) return v;
  const bool parent_ok = (c.kind() == v1::REGION && c.parent().empty()) ||
                         (c.kind() == v1::COUNTRY && IsLocationOfKind(c.parent(), v1::REGION)) ||
                         (c.kind() == v1::HUB && IsLocationOfKind(c.parent(), v1::COUNTRY));
  if (!parent_ok) return Invalid("parent", "missing or of the wrong kind");
  locations[c.code()] = Location{c.kind(), c.parent()};
  v1::LocationDefined* body = out->Add()->mutable_location_defined();
  body->set_kind(c.kind());
  body->set_code(c.code());
  body->set_parent(c.parent());
  return std::nullopt;
}

Verdict ReferenceMarket::State::UpsertParticipant(const std::string& principal,
                                                  const v1::UpsertParticipant& c, Emitter* out) {
  if (principal != kAdmin) return Denied("principal", "reference data needs admin");
  if (Verdict v = CheckString(c.id(), "id", true)) return v;
  if (!v1::ParticipantKind_IsValid(c.kind()) || c.kind() == v1::PARTICIPANT_KIND_UNSPECIFIED) {
    return Invalid("kind", "not SPONSOR or VENDOR");
  }
  auto existing = participants.find(c.id());
  if (existing != participants.end() && existing->second != c.kind()) {
    return Invalid("kind", "a participant keeps its kind");
  }
  if (Verdict v = CheckString(c.name(), "name", false)) return v;
  participants[c.id()] = c.kind();
  v1::ParticipantUpserted* body = out->Add()->mutable_participant_upserted();
  body->set_id(c.id());
  body->set_kind(c.kind());
  body->set_name(c.name());
  return std::nullopt;
}

Verdict ReferenceMarket::State::ValidateContract(const v1::UpsertContract& c) const {
  if (Verdict v = CheckString(c.contract_id(), "contract_id", true)) return v;
  auto existing = contracts.find(c.contract_id());
  if (Verdict v = CheckString(c.sponsor_id(), "sponsor_id", true)) return v;
  if (!IsParticipantOfKind(c.sponsor_id(), v1::SPONSOR)) {
    return Invalid("sponsor_id", "not a known sponsor");
  }
  if (existing != contracts.end() && existing->second.sponsor_id != c.sponsor_id()) {
    return Invalid("sponsor_id", "a contract's sponsor never changes");
  }
  if (Verdict v = CheckString(c.vendor_id(), "vendor_id", true)) return v;
  if (!IsParticipantOfKind(c.vendor_id(), v1::VENDOR)) {
    return Invalid("vendor_id", "not a known vendor");
  }
  if (existing != contracts.end() && existing->second.vendor_id != c.vendor_id()) {
    return Invalid("vendor_id", "a contract's vendor never changes");
  }
  if (Verdict v = CheckRange(c.max_fte_milli(), 0, kMaxCeilingMilli, "max_fte_milli")) return v;
  if (c.rates_size() > kMaxCardEntries) return Invalid("rates", "more than 100000 entries");
  for (int i = 0; i < c.rates_size(); ++i) {
    const v1::RateCardEntry& e = c.rates(i);
    const std::string prefix = Indexed("rates", i);
    if (Verdict v = CheckCardKey(e.role(), e.seniority(), e.country(), prefix)) return v;
    if (Verdict v = CheckRange(e.max_rate(), 1, kMaxRate, prefix + ".max_rate")) return v;
  }
  return std::nullopt;
}

Verdict ReferenceMarket::State::UpsertContract(const std::string& principal,
                                               const v1::UpsertContract& c, Emitter* out) {
  if (principal != kAdmin) return Denied("principal", "reference data needs admin");
  if (Verdict v = ValidateContract(c)) return v;
  for (const auto& [id, other] : contracts) {
    if (id != c.contract_id() && other.sponsor_id == c.sponsor_id() &&
        other.vendor_id == c.vendor_id()) {
      return Reject(v1::ALREADY_EXISTS, "contract_id", "the pair already has contract " + id);
    }
  }
  Contract& contract = contracts[c.contract_id()];  // used_fte_milli survives
  contract.contract_id = c.contract_id();
  contract.sponsor_id = c.sponsor_id();
  contract.vendor_id = c.vendor_id();
  contract.active = c.active();
  contract.max_fte_milli = c.max_fte_milli();
  contract.card.clear();
  for (const v1::RateCardEntry& e : c.rates()) {
    contract.card[CardKey{e.role(), e.seniority(), e.country()}] = e.max_rate();
  }

  v1::ContractUpserted* body = out->Add()->mutable_contract_upserted();
  body->set_contract_id(c.contract_id());
  body->set_sponsor_id(contract.sponsor_id);
  body->set_vendor_id(contract.vendor_id);
  body->set_active(contract.active);
  body->set_max_fte_milli(contract.max_fte_milli);
  for (const auto& [key, max_rate] : contract.card) {
    v1::RateCardEntry* entry = body->add_rates();
    entry->set_role(std::get<0>(key));
    entry->set_seniority(std::get<1>(key));
    entry->set_country(std::get<2>(key));
    entry->set_max_rate(max_rate);
  }
  body->set_used_fte_milli(contract.used_fte_milli);
  return std::nullopt;
}

Verdict ReferenceMarket::State::ValidatePatch(const v1::PatchRateCard& c) const {
  if (Verdict v = CheckString(c.contract_id(), "contract_id", true)) return v;
  if (c.upserts_size() > kMaxCardEntries) return Invalid("upserts", "more than 100000 entries");
  for (int i = 0; i < c.upserts_size(); ++i) {
    const v1::RateCardEntry& e = c.upserts(i);
    const std::string prefix = Indexed("upserts", i);
    if (Verdict v = CheckCardKey(e.role(), e.seniority(), e.country(), prefix)) return v;
    if (Verdict v = CheckRange(e.max_rate(), 1, kMaxRate, prefix + ".max_rate")) return v;
  }
  if (c.removals_size() > kMaxCardEntries) return Invalid("removals", "more than 100000 entries");
  for (int i = 0; i < c.removals_size(); ++i) {
    const v1::RateCardKey& k = c.removals(i);
    if (Verdict v = CheckCardKey(k.role(), k.seniority(), k.country(), Indexed("removals", i))) {
      return v;
    }
  }
  return std::nullopt;
}

Verdict ReferenceMarket::State::PatchRateCard(const std::string& principal,
                                              const v1::PatchRateCard& c, Emitter* out) {
  if (principal != kAdmin) return Denied("principal", "reference data needs admin");
  if (Verdict v = ValidatePatch(c)) return v;
  auto it = contracts.find(c.contract_id());
  if (it == contracts.end()) return Reject(v1::NOT_FOUND, "contract_id", "no such contract");
  Contract& contract = it->second;
  for (const v1::RateCardKey& k : c.removals()) {
    contract.card.erase(CardKey{k.role(), k.seniority(), k.country()});
  }
  for (const v1::RateCardEntry& e : c.upserts()) {
    contract.card[CardKey{e.role(), e.seniority(), e.country()}] = e.max_rate();
  }
  v1::RateCardPatched* body = out->Add()->mutable_rate_card_patched();
  body->set_contract_id(c.contract_id());
  *body->mutable_upserts() = c.upserts();
  *body->mutable_removals() = c.removals();
  body->set_rate_count(static_cast<int64_t>(contract.card.size()));
  return std::nullopt;
}

// ---------------------------------------------------------------------------

ReferenceMarket::ReferenceMarket() : state_(std::make_unique<State>()) {}

ReferenceMarket::~ReferenceMarket() = default;

std::vector<v1::Event> ReferenceMarket::Execute(uint64_t sequence, const v1::Command& command) {
  Emitter out(sequence, command.timestamp_unix_nanos(), command.principal());
  if (Verdict rejection = state_->Apply(sequence, command, &out)) {
    out.AddRejection(*rejection);
  }
  return out.Take();
}

std::vector<v1::Event> ReferenceMarket::RejectMalformed(uint64_t sequence,
                                                        uint64_t timestamp_unix_nanos,
                                                        const std::string& message) {
  Emitter out(sequence, timestamp_unix_nanos, "");
  out.AddRejection(Invalid("", message));
  return out.Take();
}

}  // namespace market::reference
