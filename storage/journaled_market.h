// JournaledMarket: the matching engine behind a Journal, the durable path
// shared by `marketctl simulate --data-dir` and (later) the server's sequencer.
//
// Commands run in groups. A group first runs through the engine, then its
// commands and events are appended to the journal as one atomic, synced group
// (group commit); only then are its events handed back, so a caller can
// acknowledge them. Opening a market re-executes the journal into a fresh
// engine (loading stored current-state records instead is the next step of
// issue 3).
//
// Invariant: engine and journal end at the same sequence. After a failed
// append the engine has run ahead of the journal: the market is then poisoned
// (every call returns that error) and must be reopened, which rebuilds the
// engine from what the journal holds. Nothing unjournaled is ever answered.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "codec/simulator.h"
#include "marketplace/v1/command.pb.h"
#include "marketplace/v1/event.pb.h"
#include "storage/journal.h"

namespace market::storage {

// Input that was not a Command: kept verbatim, rejected by the engine.
struct MalformedInput {
  std::string raw;
};
using MarketInput = std::variant<marketplace::v1::Command, MalformedInput>;

class JournaledMarket {
 public:
  // Takes the journal and re-executes it into a fresh engine.
  static absl::StatusOr<std::unique_ptr<JournaledMarket>> Open(std::unique_ptr<Journal> journal);

  // Sequences, executes and journals `inputs` as one group; on success appends
  // their events (in sequence order) to *events.
  [[nodiscard]] absl::Status ExecuteGroup(std::span<const MarketInput> inputs,
                                          std::vector<marketplace::v1::Event>* events);

  uint64_t last_sequence() const { return simulator_.last_sequence(); }
  uint64_t StateDigest() const { return simulator_.StateDigest(); }
  const Journal& journal() const { return *journal_; }

 private:
  explicit JournaledMarket(std::unique_ptr<Journal> journal) : journal_(std::move(journal)) {}

  std::unique_ptr<Journal> journal_;
  codec::Simulator simulator_;
  absl::Status poisoned_;
};

// Runs one journal entry's input through `simulator` as its sequence and
// appends the events it gives now. Used to open a market and to verify one.
absl::Status ReExecute(const JournalEntry& entry, codec::Simulator& simulator,
                       std::vector<marketplace::v1::Event>* events);

// What `marketctl replay` found.
struct ReplayReport {
  uint64_t commands = 0;
  uint64_t events = 0;
  uint64_t first_divergent_sequence = 0;  // 0 when every event matched
  std::string divergence;                 // what differed, for humans
  uint64_t digest = 0;                    // state digest after the last command
};

// Re-executes every journaled command in a fresh engine and compares each
// event byte for byte with the journaled one.
absl::StatusOr<ReplayReport> VerifyJournal(const Journal& journal);

}  // namespace market::storage
