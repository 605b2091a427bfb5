// Engine: the deterministic matching engine of MATCHING.md.
//
// It takes commands one at a time with their sequence numbers (1, 2, 3, ...
// with no gaps), validates them, applies them to the book, reference data and
// contracts, and emits events to an EventSink in the documented order. It does
// no I/O, takes no clock (the command carries its timestamp), starts no thread
// and uses no floating point: the same commands give the same events and the
// same StateDigest(), live or replayed.
//
// Not thread-safe: one thread (the sequencer) owns an Engine.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "absl/status/statusor.h"
#include "matcher/command.h"
#include "matcher/event.h"
#include "matcher/snapshot.h"

namespace market::matcher {

// What became of one command.
struct Outcome {
  enum class Kind : uint8_t {
    kApplied,    // accepted; events describe what changed
    kRejected,   // one CommandRejected event; nothing changed
    kDuplicate,  // client_ref seen before; no event, nothing changed
  };
  Kind kind = Kind::kApplied;
  uint32_t event_count = 0;
  uint64_t original_sequence = 0;  // for a duplicate: the sequence that used the client_ref
};

namespace internal {
class EngineState;
}

class Engine {
 public:
  Engine();
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Executes `command` as `sequence`, which must be last_sequence() + 1.
  Outcome Execute(uint64_t sequence, const Command& command, EventSink& sink);

  // Takes `sequence` for input that could not be decoded as a Command and
  // emits its CommandRejected (INVALID_ARGUMENT, the field when known).
  Outcome RejectMalformed(uint64_t sequence, std::string_view field, std::string_view message,
                          EventSink& sink);

  // Hints for a caller that knows the commands to come (a sequencer's group,
  // a replay, a benchmark): each starts loading memory that Execute of that
  // command will read, so that its cache misses overlap the work before it.
  // kCodes (issue two commands ahead) loads the table slots of its codes;
  // kState (one command ahead, after kCodes) resolves them and loads its
  // idempotency slot, its order record and the headers of the buckets it
  // walks and joins. Hints only: no effect on state, events or digest,
  // whatever the order or number of calls (prefetch.cc).
  enum class PrefetchStage : uint8_t { kCodes, kState };
  void Prefetch(const Command& upcoming, PrefetchStage stage) const;

  // Sizes the idempotency index for `keys` client_refs in all (accepted
  // orders and amends), so that reaching that many never rehashes it: a
  // rehash moves every key with a cache miss each, one command paying for
  // all of them. Optional; the index grows on demand beyond.
  void ReserveClientRefs(size_t keys);

  uint64_t last_sequence() const;

  // A hash over the whole engine state in a canonical order (reference data,
  // contracts and usage, every order with its priority, idempotency keys).
  uint64_t StateDigest() const;

  size_t open_requests() const;
  size_t open_offers() const;

  // The whole state as plain values (snapshot.cc).
  EngineSnapshot Snapshot() const;

  // An engine in the state of `snapshot`; INVALID_ARGUMENT (naming the record)
  // when the snapshot refers to a code or participant it does not define.
  static absl::StatusOr<std::unique_ptr<Engine>> Restore(const EngineSnapshot& snapshot);

  // ---- One entity at a time (engine_lookup.cc), as the plain values of
  // EngineSnapshot: equal to the entity's entry in Snapshot(). The storage
  // layer writes the entities a group touched as current-state records; the
  // server answers its queries. nullopt when there is no such entity.
  std::optional<DefineRole> FindRole(std::string_view code) const;
  std::optional<DefineLocation> FindLocation(std::string_view code) const;
  std::optional<UpsertParticipant> FindParticipant(std::string_view id) const;
  // The contract with its whole card (canonical order) and its usage.
  std::optional<EngineSnapshot::Contract> FindContract(std::string_view contract_id) const;
  // A contract's used_fte_milli alone: no copy of the card.
  std::optional<int64_t> FindContractUsage(std::string_view contract_id) const;
  // Order ids are sequences ("R<id>", "O<id>"). An order is found by exactly
  // one of these three while it exists: as an open request or offer while it
  // rests, as a closed order after.
  std::optional<EngineSnapshot::OpenRequest> FindOpenRequest(uint64_t id) const;
  std::optional<EngineSnapshot::OpenOffer> FindOpenOffer(uint64_t id) const;
  std::optional<EngineSnapshot::ClosedOrder> FindClosedOrder(uint64_t id) const;
  // The same two, written over *out (reusing its memory: no allocation once
  // *out has held an order as large); false, *out untouched, when not open.
  bool FindOpenRequest(uint64_t id, EngineSnapshot::OpenRequest* out) const;
  bool FindOpenOffer(uint64_t id, EngineSnapshot::OpenOffer* out) const;
  // The sequence that first used `client_ref` for `participant` (an
  // idempotency key), if any.
  std::optional<uint64_t> FindClientRef(std::string_view participant,
                                        std::string_view client_ref) const;

 private:
  std::unique_ptr<internal::EngineState> state_;
};

}  // namespace market::matcher
