#include "storage/internal/state_delta.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "storage/internal/state_format.h"

namespace market::storage::internal {
namespace {

namespace pb = marketplace::v1;

// "R123" / "O123" -> 123; 0 when malformed.
uint64_t OrderNumber(std::string_view id) {
  if (id.size() < 2 || id.size() > 21) return 0;
  uint64_t value = 0;
  for (const char c : id.substr(1)) {
    if (c < '0' || c > '9') return 0;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

// The idempotency key a command uses up when applied, if any.
std::string_view ClientRefOf(const pb::Command& command) {
  switch (command.body_case()) {
    case pb::Command::kSubmitRequest:
      return command.submit_request().client_ref();
    case pb::Command::kPublishOffer:
      return command.publish_offer().client_ref();
    case pb::Command::kAmendRequest:
      return command.amend_request().client_ref();
    case pb::Command::kAmendOffer:
      return command.amend_offer().client_ref();
    default:
      return {};
  }
}

// The participant of a "sponsor:<id>" or "vendor:<id>" principal (the only
// ones whose commands use client_refs).
std::string_view ParticipantOf(std::string_view principal) {
  const size_t colon = principal.find(':');
  return colon == std::string_view::npos ? std::string_view() : principal.substr(colon + 1);
}

absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }

template <typename T>
void SortUnique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

absl::Status Missing(std::string_view what) {
  return absl::InternalError(
      absl::StrCat("the engine has no ", AsAbsl(what), " although this group's events name it"));
}

}  // namespace

void StateDelta::Clear() {
  orders_.clear();
  roles_.clear();
  locations_.clear();
  participants_.clear();
  cards_.clear();
  usages_.clear();
  client_refs_.clear();
  assignments_.clear();
  used_ = 0;
}

absl::Status StateDelta::Add(const pb::Command* command, matcher::Outcome outcome,
                             std::span<const pb::Event> events,
                             std::span<const std::string> event_bytes) {
  if (command != nullptr && outcome.kind == matcher::Outcome::Kind::kApplied) {
    const std::string_view client_ref = ClientRefOf(*command);
    if (!client_ref.empty()) {
      client_refs_.emplace_back(std::string(ParticipantOf(command->principal())),
                                std::string(client_ref));
    }
  }
  auto order = [&](std::string_view id) -> absl::Status {
    const uint64_t number = OrderNumber(id);
    if (number == 0)
      return absl::InternalError(absl::StrCat("event names order id \"", AsAbsl(id), "\""));
    orders_.push_back(number);
    return absl::OkStatus();
  };
  for (size_t i = 0; i < events.size(); ++i) {
    const pb::Event& e = events[i];
    absl::Status status;
    switch (e.body_case()) {
      case pb::Event::kRequestAccepted:
      case pb::Event::kOfferAccepted:
        orders_.push_back(e.sequence());
        break;
      case pb::Event::kAssignmentCreated: {
        const pb::AssignmentCreated& a = e.assignment_created();
        status = order(a.request_id());
        if (status.ok()) status = order(a.offer_id());
        usages_.push_back(a.contract_id());
        if (i >= event_bytes.size()) return absl::InternalError("an event has no journaled bytes");
        assignments_.push_back({e.sequence(), e.index(), event_bytes[i]});
        break;
      }
      case pb::Event::kRequestClosed:
        status = order(e.request_closed().request_id());
        break;
      case pb::Event::kOfferClosed:
        status = order(e.offer_closed().offer_id());
        break;
      case pb::Event::kRequestAmended:
        status = order(e.request_amended().request_id());
        break;
      case pb::Event::kOfferAmended:
        status = order(e.offer_amended().offer_id());
        break;
      case pb::Event::kCommandRejected:
        break;
      case pb::Event::kRoleDefined:
        roles_.push_back(e.role_defined().code());
        break;
      case pb::Event::kLocationDefined:
        locations_.push_back(e.location_defined().code());
        break;
      case pb::Event::kParticipantUpserted:
        participants_.push_back(e.participant_upserted().id());
        break;
      case pb::Event::kContractUpserted:
        cards_.push_back(e.contract_upserted().contract_id());
        usages_.push_back(e.contract_upserted().contract_id());
        break;
      case pb::Event::kRateCardPatched:
        cards_.push_back(e.rate_card_patched().contract_id());
        break;
      default:
        return absl::InternalError(absl::StrCat("event kind ", static_cast<int>(e.body_case()),
                                                " at sequence ", e.sequence(),
                                                " has no mapping to state records"));
    }
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

StateChange& StateDelta::NextPut() {
  if (used_ == changes_.size()) changes_.emplace_back();
  StateChange& change = changes_[used_++];
  change.op = StateChange::Op::kPut;
  return change;
}

absl::Status StateDelta::Build(const matcher::Engine& engine) {
  used_ = 0;
  SortUnique(roles_);
  for (const std::string& code : roles_) {
    const auto role = engine.FindRole(code);
    if (!role) return Missing(absl::StrCat("role ", code));
    StateChange& change = NextPut();
    RoleKey(code, &change.key);
    EncodeRole(*role, &change.value);
  }
  SortUnique(locations_);
  for (const std::string& code : locations_) {
    const auto location = engine.FindLocation(code);
    if (!location) return Missing(absl::StrCat("location ", code));
    StateChange& change = NextPut();
    LocationKey(code, &change.key);
    EncodeLocation(*location, &change.value);
  }
  SortUnique(participants_);
  for (const std::string& id : participants_) {
    const auto participant = engine.FindParticipant(id);
    if (!participant) return Missing(absl::StrCat("participant ", id));
    StateChange& change = NextPut();
    ParticipantKey(id, &change.key);
    EncodeParticipant(*participant, &change.value);
  }
  SortUnique(cards_);
  for (const std::string& id : cards_) {
    const auto contract = engine.FindContract(id);
    if (!contract) return Missing(absl::StrCat("contract ", id));
    StateChange& change = NextPut();
    ContractKey(id, &change.key);
    EncodeContract(contract->contract, &change.value);
  }
  SortUnique(usages_);
  for (const std::string& id : usages_) {
    const auto used = engine.FindContractUsage(id);
    if (!used) return Missing(absl::StrCat("contract ", id));
    StateChange& change = NextPut();
    UsageKey(id, &change.key);
    EncodeUsage(*used, &change.value);
  }
  SortUnique(orders_);
  for (const uint64_t id : orders_) {
    StateChange& change = NextPut();
    OrderKey(id, &change.key);
    if (engine.FindOpenRequest(id, &request_)) {
      EncodeOpenRequest(request_, &change.value);
    } else if (engine.FindOpenOffer(id, &offer_)) {
      EncodeOpenOffer(offer_, &change.value);
    } else if (const auto closed = engine.FindClosedOrder(id)) {
      EncodeClosedOrder(*closed, &change.value);
    } else {
      return Missing(absl::StrCat("order ", id));
    }
  }
  SortUnique(client_refs_);
  for (const auto& [participant, client_ref] : client_refs_) {
    const auto sequence = engine.FindClientRef(participant, client_ref);
    if (!sequence) return Missing(absl::StrCat("client_ref ", participant, "/", client_ref));
    StateChange& change = NextPut();
    ClientRefKey(participant, client_ref, &change.key);
    EncodeClientRefSequence(*sequence, &change.value);
  }
  for (const Assignment& a : assignments_) {
    StateChange& change = NextPut();
    AssignmentKey(a.sequence, a.index, &change.key);
    EncodeAssignment(a.bytes, &change.value);
  }
  StateChange& last = NextPut();
  last.key.clear();  // = kStateLastSequenceKey (assign() trips GCC 12's -Wrestrict at -O3)
  last.key.push_back(static_cast<char>(StateKind::kLastSequence));
  EncodeLastSequence(engine.last_sequence(), &last.value);
  return absl::OkStatus();
}

}  // namespace market::storage::internal
