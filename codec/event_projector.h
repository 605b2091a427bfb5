// EventProjector: rebuilds the matcher's state from its events alone.
//
// This is the pure half of `marketctl kafka-replay`: the topic is an audit log
// only if the events on it are enough to rebuild the engine, so the projector
// folds proto Events (API.md) into the state they imply and hands it out as a
// matcher::EngineSnapshot. No network, no journal, no engine: the projector
// never re-runs matching, it only reads what the events say happened.
//
//   Event (s, i) ... -> Apply -> Snapshot() -> Engine::Restore -> StateDigest()
//
// Guarantee: if `events` are all the events an engine emitted for sequences
// 1..N, in (sequence, index) order, and SetLastSequence(N) is called, then
// Engine::Restore(projector.Snapshot()) has the StateDigest() of that engine
// and answers every later command with the same events.
//
// What the events carry, and so what the projector derives:
//   - reference data: RoleDefined, LocationDefined, ParticipantUpserted
//     replace the record; ContractUpserted replaces a contract and its whole
//     card (its used_fte_milli is checked against the fills); RateCardPatched
//     applies its removals, then its upserts (rate_count is checked);
//   - orders: RequestAccepted / OfferAccepted carry the stored order;
//     AssignmentCreated lowers both sides' remaining (checked against
//     *_remaining_milli), adds to the contract's usage and to the request's
//     vendors used; RequestAmended / OfferAmended set remaining, price and
//     priority; RequestClosed / OfferClosed close (owner and side are kept);
//   - idempotency keys: only accepted submits, publishes and amends use up a
//     client_ref (MATCHING.md "Identity and idempotency"), and each of those
//     events carries it; cancels and withdraws have none, rejected and
//     duplicate commands record none.
//
// Sequences without events. Every command takes a sequence and every command
// emits at least one event, except a duplicate (a client_ref seen before):
// it emits nothing and changes nothing but last_sequence. So the events alone
// cannot tell a duplicate from a lost command, and cannot show duplicates at
// the end of the stream. Gap checks belong to the caller (kafka-replay):
// a sequence missing between two present ones is either a duplicate or a
// loss; the projector accepts it, and SetLastSequence(N) records commands
// after the last event. Comparing the resulting digest with the server's
// (which hashes every order, contract and key) is what tells the two apart:
// a lost event that changed state shows as a digest mismatch.
//
// Errors. Apply checks an event before it changes anything; on error the
// projector is unchanged and the event is not taken. FAILED_PRECONDITION: the
// event does not fit what came before (out of (sequence, index) order, an
// unknown or closed order, an unknown contract or code, a remaining or usage
// that disagrees with the fills, a client_ref used twice). INVALID_ARGUMENT:
// the event is malformed whatever came before (no body, an id that is not
// R<sequence> / O<sequence> of its accepting command, a CommandRejected that
// is not the command's only event). The caller dedupes: a second copy of an
// event is out of order.
//
// Not thread-safe; a value type (copy it to branch a projection).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "marketplace/v1/event.pb.h"
#include "matcher/command.h"
#include "matcher/snapshot.h"

namespace market::codec {

class EventProjector {
 public:
  // The empty market, before sequence 1.
  EventProjector() = default;
  // Continues from `base` (an engine's Snapshot(), e.g. a checkpoint): the
  // next event must be of a sequence after base.last_sequence.
  explicit EventProjector(const matcher::EngineSnapshot& base);

  // Folds one event in. Events come in (sequence, index) order: indexes
  // 0, 1, 2, ... within a sequence, sequences increasing, possibly with gaps
  // (see above).
  [[nodiscard]] absl::Status Apply(const marketplace::v1::Event& event);

  // Declares that every sequence up to `sequence` has been seen, so that a
  // duplicate command after the last event still counts (the engine's
  // last_sequence). Later events must be of later sequences. FAILED_PRECONDITION
  // when `sequence` is below last_sequence().
  [[nodiscard]] absl::Status SetLastSequence(uint64_t sequence);

  // The last sequence accounted for: the last event's or SetLastSequence's.
  uint64_t last_sequence() const { return last_sequence_; }

  // The engine state the events imply, in the snapshot's canonical order.
  matcher::EngineSnapshot Snapshot() const;

 private:
  using CardKey = std::tuple<std::string, int32_t, std::string>;  // role, seniority, country
  struct Contract {
    matcher::UpsertContract fields;  // rates left empty: see `card`
    std::map<CardKey, int64_t> card;
    int64_t used_fte_milli = 0;
  };
  struct Order {
    matcher::Side side = matcher::Side::kRequest;
    std::string owner;
    bool open = false;
  };

  absl::Status CheckPosition(const marketplace::v1::Event& e) const;
  absl::Status ApplyBody(const marketplace::v1::Event& e);

  absl::Status OnRequestAccepted(const marketplace::v1::Event& e);
  absl::Status OnOfferAccepted(const marketplace::v1::Event& e);
  absl::Status OnAssignmentCreated(const marketplace::v1::Event& e);
  absl::Status OnClosed(const marketplace::v1::Event& e, matcher::Side side);
  absl::Status OnRequestAmended(const marketplace::v1::Event& e);
  absl::Status OnOfferAmended(const marketplace::v1::Event& e);
  absl::Status OnLocationDefined(const marketplace::v1::Event& e);
  absl::Status OnParticipantUpserted(const marketplace::v1::Event& e);
  absl::Status OnContractUpserted(const marketplace::v1::Event& e);
  absl::Status OnRateCardPatched(const marketplace::v1::Event& e);

  // Checks shared by the handlers; `what` names the field in messages.
  absl::Status RequireParticipant(const marketplace::v1::Event& e, const std::string& id,
                                  matcher::ParticipantKind kind, const char* what) const;
  absl::Status RequireRole(const marketplace::v1::Event& e, const std::string& code) const;
  absl::Status RequireLocation(const marketplace::v1::Event& e, const std::string& code,
                               matcher::LocationKind kind, const char* what) const;
  absl::Status RequireUnusedClientRef(const marketplace::v1::Event& e, const std::string& owner,
                                      const std::string& client_ref) const;
  // The open order `id` of `side` ("R7" / "O7"); sets *sequence.
  absl::Status RequireOpenOrder(const marketplace::v1::Event& e, const std::string& id,
                                matcher::Side side, uint64_t* sequence) const;

  uint64_t last_sequence_ = 0;
  uint64_t current_sequence_ = 0;  // the sequence whose events are arriving; 0 = none
  uint32_t next_index_ = 0;        // the index expected next within current_sequence_
  bool current_rejected_ = false;  // current_sequence_ emitted a CommandRejected

  std::map<std::string, matcher::DefineRole> roles_;
  std::map<std::string, matcher::DefineLocation> locations_;
  std::map<std::string, matcher::UpsertParticipant> participants_;
  std::map<std::string, Contract> contracts_;
  std::map<uint64_t, Order> orders_;  // every order ever accepted, by id
  std::map<uint64_t, matcher::EngineSnapshot::OpenRequest> requests_;    // open ones, by id
  std::map<uint64_t, matcher::EngineSnapshot::OpenOffer> offers_;        // open ones, by id
  std::map<std::pair<std::string, std::string>, uint64_t> client_refs_;  // -> first sequence
};

}  // namespace market::codec
