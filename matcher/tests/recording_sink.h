// Test support: an EventSink that keeps owned copies of a command's events,
// both as short readable lines (for spec-like assertions) and as typed
// records of fills and closes (for invariant checks).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "matcher/event.h"
#include "matcher/internal/text.h"

namespace market::matcher::testing {

struct Fill {
  uint64_t request;  // request id sequence
  uint64_t offer;    // offer id sequence
  std::string contract_id;
  std::string sponsor_id;
  std::string vendor_id;
  int32_t seniority;
  std::string country;
  std::string hub;
  int64_t fte_milli;
  int64_t rate;
  int64_t request_remaining_milli;
  int64_t offer_remaining_milli;
};

struct Close {
  Side side;
  uint64_t order;
  CloseReason reason;
};

inline const char* ReasonName(CloseReason r) {
  switch (r) {
    case CloseReason::kFilled:
      return "FILLED";
    case CloseReason::kExhausted:
      return "EXHAUSTED";
    case CloseReason::kCancelled:
      return "CANCELLED";
    case CloseReason::kWithdrawn:
      return "WITHDRAWN";
    case CloseReason::kIocRemainder:
      return "IOC_REMAINDER";
    case CloseReason::kAonUnfilled:
      return "AON_UNFILLED";
    case CloseReason::kUnspecified:
      break;
  }
  return "UNSPECIFIED";
}

inline const char* CodeName(RejectCode c) {
  switch (c) {
    case RejectCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case RejectCode::kNotFound:
      return "NOT_FOUND";
    case RejectCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case RejectCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case RejectCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
  }
  return "?";
}

// Lines look like:
//   "RequestAccepted R13"              "OfferAccepted O16"
//   "Assignment R16 O14 600@200 C2 rem 400/0"
//   "RequestClosed R16 FILLED"         "OfferClosed O14 EXHAUSTED"
//   "RequestAmended R13 400@5000 p13"  "OfferAmended O5 300@100 p9"
//   "Rejected INVALID_ARGUMENT fte_milli"
//   "RoleDefined" "LocationDefined" "ParticipantUpserted" "ContractUpserted" "RateCardPatched"
class RecordingSink final : public EventSink {
 public:
  void OnEvent(uint32_t index, const Event& event) override {
    using internal::Cat;
    indexes.push_back(index);
    struct V {
      RecordingSink* s;
      void operator()(const RequestAccepted& e) {
        s->lines.push_back(Cat("RequestAccepted R", e.request_sequence));
      }
      void operator()(const OfferAccepted& e) {
        s->lines.push_back(Cat("OfferAccepted O", e.offer_sequence));
      }
      void operator()(const AssignmentCreated& e) {
        s->fills.push_back(Fill{e.request_sequence, e.offer_sequence, std::string(e.contract_id),
                                std::string(e.sponsor_id), std::string(e.vendor_id), e.seniority,
                                std::string(e.country), std::string(e.hub), e.fte_milli, e.rate,
                                e.request_remaining_milli, e.offer_remaining_milli});
        s->lines.push_back(Cat("Assignment R", e.request_sequence, " O", e.offer_sequence, " ",
                               e.fte_milli, "@", e.rate, " ", e.contract_id, " rem ",
                               e.request_remaining_milli, "/", e.offer_remaining_milli));
      }
      void operator()(const OrderClosed& e) {
        s->closes.push_back(Close{e.side, e.order_sequence, e.reason});
        s->lines.push_back(Cat(e.side == Side::kRequest ? "RequestClosed R" : "OfferClosed O",
                               e.order_sequence, " ", ReasonName(e.reason)));
      }
      void operator()(const OrderAmended& e) {
        s->lines.push_back(Cat(e.side == Side::kRequest ? "RequestAmended R" : "OfferAmended O",
                               e.order_sequence, " ", e.remaining_milli, "@", e.price, " p",
                               e.priority_sequence));
      }
      void operator()(const CommandRejected& e) {
        s->lines.push_back(Cat("Rejected ", CodeName(e.code), " ", e.field));
      }
      void operator()(const RoleDefined&) { s->lines.push_back("RoleDefined"); }
      void operator()(const LocationDefined&) { s->lines.push_back("LocationDefined"); }
      void operator()(const ParticipantUpserted&) { s->lines.push_back("ParticipantUpserted"); }
      void operator()(const ContractUpserted&) { s->lines.push_back("ContractUpserted"); }
      void operator()(const RateCardPatched&) { s->lines.push_back("RateCardPatched"); }
    };
    std::visit(V{this}, event);
  }

  void Clear() {
    lines.clear();
    fills.clear();
    closes.clear();
    indexes.clear();
  }

  std::vector<std::string> lines;
  std::vector<Fill> fills;
  std::vector<Close> closes;
  std::vector<uint32_t> indexes;
};

}  // namespace market::matcher::testing
