// Events as the matcher emits them, and the sink that receives them.
//
// The engine calls EventSink::OnEvent synchronously, once per event, in the
// order of API.md. Event structs are views: their string_views and spans
// point into the engine or into the command being executed and are valid only
// during the call. A sink that keeps an event copies it (the codec turns it
// into a proto Event).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "matcher/command.h"
#include "matcher/units.h"

namespace market::matcher {

// A request as stored: the command's fields plus the owner and defaults.
struct RequestAccepted {
  uint64_t request_sequence;    // the id is "R<request_sequence>"
  const SubmitRequest* order;   // the command as given (lists are stored as given)
  std::string_view sponsor_id;  // the owner, filled in
  int32_t min_seniority;        // 0 defaulted to 1
  TimeInForce time_in_force;    // unspecified defaulted to GTC
};

// An offer as stored: the command's fields plus the owner and defaults.
struct OfferAccepted {
  uint64_t offer_sequence;  // the id is "O<offer_sequence>"
  const PublishOffer* order;
  std::string_view vendor_id;
  EngagementModel engagement_model;  // unspecified defaulted to FSP
  TimeInForce time_in_force;
};

struct AssignmentCreated {
  uint64_t request_sequence;
  uint64_t offer_sequence;
  std::string_view contract_id;
  std::string_view sponsor_id;
  std::string_view vendor_id;
  std::string_view role;
  int32_t seniority;
  std::string_view country;
  std::string_view hub;
  int64_t fte_milli;
  int64_t rate;
  Day start_date;
  Day end_date;
  int64_t request_remaining_milli;
  int64_t offer_remaining_milli;
};

struct OrderClosed {
  Side side;
  uint64_t order_sequence;
  CloseReason reason;
};

struct OrderAmended {
  Side side;
  uint64_t order_sequence;
  int64_t remaining_milli;
  int64_t price;  // max_rate of a request, rate of an offer
  uint64_t priority_sequence;
  std::string_view client_ref;
};

struct CommandRejected {
  RejectCode code;
  std::string_view field;
  std::string_view message;
};

// Reference-data events echo the accepted command.
struct RoleDefined {
  const DefineRole* command;
};
struct LocationDefined {
  const DefineLocation* command;
};
struct ParticipantUpserted {
  const UpsertParticipant* command;
};

// One entry of a stored card, in canonical (role, seniority, country) order.
struct RateCardRow {
  std::string_view role;
  int32_t seniority;
  std::string_view country;
  int64_t max_rate;
};

struct ContractUpserted {
  const UpsertContract* command;
  std::span<const RateCardRow> rates;  // the card as stored, sorted
  int64_t used_fte_milli;
};

struct RateCardPatched {
  const PatchRateCard* command;
  int64_t rate_count;  // entries on the card after the patch
};

using Event = std::variant<RequestAccepted, OfferAccepted, AssignmentCreated, OrderClosed,
                           OrderAmended, CommandRejected, RoleDefined, LocationDefined,
                           ParticipantUpserted, ContractUpserted, RateCardPatched>;

// Receives a command's events. `index` counts the command's events from 0.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void OnEvent(uint32_t index, const Event& event) = 0;
};

}  // namespace market::matcher
