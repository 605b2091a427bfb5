// EngineState: everything the Engine owns, shared by its implementation files
// (engine.cc executes commands, matching.cc walks the book, digest.cc hashes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "matcher/command.h"
#include "matcher/engine.h"
#include "matcher/event.h"
#include "matcher/internal/client_refs.h"
#include "matcher/internal/contracts.h"
#include "matcher/internal/order_book.h"
#include "matcher/internal/reference_data.h"

namespace market::matcher::internal {

// Why a command is refused; becomes its CommandRejected event.
struct Rejection {
  RejectCode code;
  std::string field;
  std::string message;
};
using Check = std::optional<Rejection>;

// One fill of a walk's plan: the resting order's slot, the FTE, the contract.
struct PlannedFill {
  uint32_t slot;
  int64_t fte_milli;
  ContractId contract;
};

// Per-command emission context: numbers the command's events.
struct Emitter {
  uint64_t sequence;
  EventSink* sink;
  uint32_t next_index = 0;
  void Emit(const Event& event) { sink->OnEvent(next_index++, event); }
};

class EngineState {
 public:
  uint64_t last_sequence = 0;
  ReferenceData ref;
  ContractRegistry contracts;
  OrderBook book;
  ClientRefs client_refs;  // idempotency keys

  // Starts loading the bucket headers that matching the order will read:
  // those its walk visits and those it will rest in (a hint; matching.cc).
  // Needs only the order's role, seniority and locations, so a submit or
  // publish calls it as soon as those are validated and the loads overlap
  // the rest of its validation.
  void PrefetchWalk(const RestingRequest& r) const;
  void PrefetchWalk(const RestingOffer& o) const;

  // Matching (matching.cc). The order has been taken out of the buckets (or
  // never was in them); these walk the other side, fill, and then rest or
  // close the order. `aon` applies the all-or-none dry run first. Callers
  // call PrefetchWalk first, early enough for the headers to arrive.
  void MatchRequest(uint32_t slot, TimeInForce tif, bool aon, Emitter& out);
  void MatchOffer(uint32_t slot, TimeInForce tif, Emitter& out);

  uint64_t Digest() const;  // digest.cc

 private:
  void ApplyFill(RestingRequest& r, RestingOffer& o, const PlannedFill& f, Emitter& out);

  MergeCursor cursor_;  // the walks' scratch, cleared by each walk; not state
};

}  // namespace market::matcher::internal
