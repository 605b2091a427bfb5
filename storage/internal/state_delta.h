// StateDelta: the current-state records one group of commands changed, as
// StateChanges for the group's Journal::Append.
//
// While the group runs, Add notes what each command touched, from its events
// and, for idempotency keys, from the command itself:
//
//   RequestAccepted, OfferAccepted, *Amended, *Closed  -> the order
//   AssignmentCreated -> both orders, the contract's usage, the assignment
//   RoleDefined, LocationDefined, ParticipantUpserted  -> that entity
//   ContractUpserted  -> the contract (card) and its usage
//   RateCardPatched   -> the contract (card)
//   an applied submit, publish or amend -> its idempotency key
//
// Build then reads each touched entity's value as the engine holds it after
// the group (Engine::Find*), so an order filled five times in a group is
// written once, closed or not, and a fill rewrites only the small usage
// record, never a contract's card. The state's last_sequence record comes
// last. Buffers (keys, bodies, the change list) are kept between groups.
//
// An event kind this file does not know is INTERNAL: a new kind of state
// change must be mapped here before it can be journaled.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"
#include "matcher/engine.h"
#include "matcher/snapshot.h"
#include "storage/journal.h"

namespace market::storage::internal {

class StateDelta {
 public:
  // Forgets the previous group (keeps the buffers).
  void Clear();

  // Notes what one command touched. `command` is null for malformed input;
  // `events` are its events and `event_bytes` their journaled serialization
  // (same order, same count); the strings of `event_bytes` must stay valid
  // until Build.
  [[nodiscard]] absl::Status Add(const marketplace::v1::Command* command, matcher::Outcome outcome,
                                 std::span<const marketplace::v1::Event> events,
                                 std::span<const std::string> event_bytes);

  // The changes of the group: a put for every touched entity as `engine`
  // holds it now, then the state last_sequence. INTERNAL when the engine
  // lacks an entity the events name.
  [[nodiscard]] absl::Status Build(const matcher::Engine& engine);

  // Valid until the next Clear.
  std::span<const StateChange> changes() const { return {changes_.data(), used_}; }

 private:
  StateChange& NextPut();

  std::vector<uint64_t> orders_;
  std::vector<std::string> roles_;
  std::vector<std::string> locations_;
  std::vector<std::string> participants_;
  std::vector<std::string> cards_;   // contract ids whose card changed
  std::vector<std::string> usages_;  // contract ids whose usage may have changed
  std::vector<std::pair<std::string, std::string>> client_refs_;  // (participant, client_ref)
  struct Assignment {
    uint64_t sequence;
    uint32_t index;
    std::string_view bytes;
  };
  std::vector<Assignment> assignments_;

  // Scratch values of the order lookups, reused from order to order.
  matcher::EngineSnapshot::OpenRequest request_;
  matcher::EngineSnapshot::OpenOffer offer_;
  std::vector<StateChange> changes_;  // [0, used_) hold this group's changes
  size_t used_ = 0;
};

}  // namespace market::storage::internal
