// JournaledMarket: the matching engine behind a Journal, the durable path
// shared by `marketctl simulate --data-dir` and the server's sequencer.
//
// Commands run in groups. A group first runs through the engine; then its
// commands, their events and the current-state records they changed (the
// entities the group touched, read back from the engine) are appended to the
// journal as one atomic, synced write (group commit); only then are its
// events handed back, so a caller can acknowledge them.
//
// Opening a market loads the stored current state (no re-execution) after
// checking that the state's last_sequence equals the journal's; it refuses,
// naming both sequences, when they differ (a format 1 journal, an
// interrupted rebuild) and points at `marketctl rebuild`. Recovery::kReExecute
// opens by re-executing the journal instead (verification, rebuild).
//
// Invariants: engine and journal end at the same sequence, and so does the
// stored state whenever the market maintains it (state_in_sync()). After a
// failed append the engine has run ahead of the journal: the market is then
// poisoned (every call returns that error) and must be reopened, which
// recovers from what the journal holds. Nothing unjournaled is ever answered.
//
// Threads: one thread calls ExecuteGroup (the sequencer); the journal's own
// rules say who else may read it.
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
#include "matcher/engine.h"
#include "matcher/snapshot.h"
#include "storage/journal.h"

namespace market::storage {

// Input that was not a Command: kept verbatim, rejected by the engine.
struct MalformedInput {
  std::string raw;
};
using MarketInput = std::variant<marketplace::v1::Command, MalformedInput>;

// How JournaledMarket::Open brings the engine to the journal's tail.
enum class Recovery : uint8_t {
  // Load the stored current state (the default). The state's last_sequence
  // must equal the journal's (FAILED_PRECONDITION naming both otherwise); a
  // record that fails its checksum or parse is DATA_LOSS naming its key.
  kLoadState,
  // Re-execute every journaled command in a fresh engine; the stored state is
  // not read. The market maintains the state records afterwards only when
  // they were at the journal's tail (see state_in_sync()).
  kReExecute,
};

struct MarketOptions {
  Recovery recovery = Recovery::kLoadState;
  // The data directory, named in messages ("marketctl rebuild --data-dir
  // <data_dir>"); may be empty.
  std::string data_dir;
};

namespace internal {
class StateDelta;
}

class JournaledMarket {
 public:
  ~JournaledMarket();
  JournaledMarket(const JournaledMarket&) = delete;
  JournaledMarket& operator=(const JournaledMarket&) = delete;

  // Takes the journal and loads its stored state (Recovery::kLoadState).
  static absl::StatusOr<std::unique_ptr<JournaledMarket>> Open(std::unique_ptr<Journal> journal);
  static absl::StatusOr<std::unique_ptr<JournaledMarket>> Open(std::unique_ptr<Journal> journal,
                                                               const MarketOptions& options);

  // Sequences, executes and journals `inputs` as one group, with the state
  // records they changed in the same atomic append; on success appends their
  // events (in sequence order) to *events and, when `outcomes` is given, one
  // Outcome per input (in input order) to *outcomes.
  [[nodiscard]] absl::Status ExecuteGroup(std::span<const MarketInput> inputs,
                                          std::vector<marketplace::v1::Event>* events,
                                          std::vector<matcher::Outcome>* outcomes = nullptr);

  uint64_t last_sequence() const { return simulator_.last_sequence(); }
  uint64_t StateDigest() const { return simulator_.StateDigest(); }
  const Journal& journal() const { return *journal_; }
  // For readers that keep a cursor in the journal (the Kafka publisher).
  Journal& mutable_journal() { return *journal_; }
  // The engine (for reads between groups, on the ExecuteGroup thread).
  const matcher::Engine& engine() const { return simulator_.engine(); }
  // Sizes the engine's idempotency index for `keys` keys in all
  // (Engine::ReserveClientRefs): capacity only, not journaled, no effect on
  // state or digest. Between groups, on the ExecuteGroup thread; before the
  // first group it costs no rehash of keys already there.
  void ReserveClientRefs(size_t keys) { simulator_.ReserveClientRefs(keys); }
  // Whether each group also writes its state records. Always true after a
  // kLoadState open; after kReExecute only if the stored state was at the
  // journal's tail (a state left behind stays behind, and the next kLoadState
  // open refuses it, rather than growing into a wrong state).
  bool state_in_sync() const { return state_in_sync_; }

 private:
  explicit JournaledMarket(std::unique_ptr<Journal> journal);

  [[nodiscard]] absl::Status LoadState(const MarketOptions& options);
  [[nodiscard]] absl::Status ReExecuteJournal();

  std::unique_ptr<Journal> journal_;
  codec::Simulator simulator_;
  absl::Status poisoned_;
  bool state_in_sync_ = true;
  // Reused by every group.
  std::vector<JournalEntry> group_;
  std::vector<marketplace::v1::Event> produced_;
  std::unique_ptr<internal::StateDelta> delta_;
};

// Runs one journal entry's input through `simulator` as its sequence and
// appends the events it gives now. Used to open a market and to verify one.
absl::Status ReExecute(const JournalEntry& entry, codec::Simulator& simulator,
                       std::vector<marketplace::v1::Event>* events);

// The stored current state as an engine snapshot (assignments, which are not
// engine state, are skipped). Needs no concurrent writer: UNAVAILABLE if the
// state's last_sequence moved while loading. DATA_LOSS naming the key for a
// record that fails its checksum or parse.
absl::StatusOr<matcher::EngineSnapshot> LoadStateSnapshot(const Journal& journal);

// What `marketctl replay` found.
struct ReplayReport {
  uint64_t commands = 0;
  uint64_t events = 0;
  uint64_t first_divergent_sequence = 0;  // 0 when every event matched
  std::string divergence;                 // what differed, for humans
  uint64_t digest = 0;                    // state digest after the last command
  // The stored current state loaded into a second engine: OK with its digest
  // and sequence, or why it could not be loaded (behind, ahead, corrupt).
  absl::Status state_status;
  uint64_t state_last_sequence = 0;
  uint64_t state_digest = 0;

  // The state loaded, stands at the journal's tail and has the replay's digest.
  bool state_matches() const {
    return state_status.ok() && state_last_sequence == commands && state_digest == digest;
  }
};

// Re-executes every journaled command in a fresh engine and compares each
// event byte for byte with the journaled one; then loads the stored state
// into a second engine and compares its digest with the replay's.
absl::StatusOr<ReplayReport> VerifyJournal(const Journal& journal);

// What `marketctl rebuild` wrote.
struct RebuildReport {
  uint64_t commands = 0;  // re-executed
  uint64_t records = 0;   // state records written (incl. assignments and last_sequence)
  uint64_t assignments = 0;
  uint64_t last_sequence = 0;  // the state now stands here
  uint64_t digest = 0;         // of the rebuilt state
};

// Rebuilds the stored state from the journal: re-executes every command in a
// fresh engine, then replaces the state records: the first write deletes
// them all, then the records follow in bounded batches, and the state's
// last_sequence goes in the very last one, so an interrupted rebuild leaves a
// state that kLoadState refuses as behind the journal. `journal` must have no
// other writer meanwhile.
absl::StatusOr<RebuildReport> RebuildState(Journal& journal);

}  // namespace market::storage
