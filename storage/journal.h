// Journal: the durable, ordered record of every sequenced command and the
// events it produced, and beside it the current state those commands left.
// The journal is the source of truth for replay, audit and recovery; the
// state lets a restart load the market instead of re-executing every command.
//
// A group of entries is appended atomically (all or none) and, with
// SyncPolicy::kAlways, durably before Append returns: callers acknowledge a
// command only after its group's Append succeeded. Sequences are dense: the
// first entry of a group is last_sequence() + 1 and each next one adds 1. The
// state changes a group made travel in the same atomic write.
//
// On disk (RocksJournal), column families and keys (big-endian, so iteration
// order is sequence order):
//
//   commands  [seq: u64 BE]               -> [crc32c: u32 LE][kind: u8][payload]
//   events    [seq: u64 BE][index: u32 BE] -> [crc32c: u32 LE][Event bytes]
//   state     [kind: u8][id or code]       -> [crc32c: u32 LE of key + body][body]
//   meta      "format_version"            -> decimal text, kFormatVersion
//             "last_sequence"             -> u64 BE
//             "cursor/<name>"             -> u64 BE (e.g. "cursor/kafka")
//
// The crc32c covers everything after it (for state records, the key too); a
// mismatch or an unparsable record is reported with its sequence or key,
// never skipped. The journal treats state records as opaque bodies under
// opaque keys; their layout (one record per entity: roles, locations,
// participants, contracts, contract usage, orders, idempotency keys,
// assignments, and the state's own last_sequence) is
// storage/internal/state_format.h, written by JournaledMarket.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace market::storage {

// Version 2 added the state records. A RocksJournal still opens version 1
// (same commands and events, no state) and upgrades it to 2 with its first
// state write, which `marketctl rebuild` makes.
inline constexpr int kFormatVersion = 2;
inline constexpr int kOldestFormatVersion = 1;

// One sequenced command and what it produced.
struct JournalEntry {
  enum class Kind : uint8_t {
    kCommand = 0,    // payload: a serialized marketplace.v1.Command
    kMalformed = 1,  // payload: the raw input that was not a Command
  };
  uint64_t sequence = 0;
  Kind kind = Kind::kCommand;
  std::string payload;
  std::vector<std::string> events;  // serialized marketplace.v1.Event, index order

  bool operator==(const JournalEntry&) const = default;
};

// One change to the current-state records, written in the same atomic batch
// as a group of entries. Changes apply in order.
struct StateChange {
  enum class Op : uint8_t {
    kPut = 0,     // key -> value
    kDelete = 1,  // key
    kClear = 2,   // every state record (key and value unused)
  };
  Op op = Op::kPut;
  std::string key;    // kPut, kDelete: not empty; the first byte is never 0xFF
  std::string value;  // kPut: the record's body (the journal adds its crc32c)

  bool operator==(const StateChange&) const = default;
};

// Receives state records: the key and the body (checksum verified), valid
// only during the call.
using StateVisitor = std::function<absl::Status(std::string_view key, std::string_view body)>;

enum class SyncPolicy : uint8_t {
  kAlways,  // sync the WAL once per appended group (default: nothing acknowledged is lost)
  kNever,   // leave syncing to the OS (benchmarks only)
};

class Journal {
 public:
  virtual ~Journal() = default;

  // Appends `group` atomically; durable on return under SyncPolicy::kAlways.
  // On error nothing of the group is visible and last_sequence() is unchanged.
  [[nodiscard]] virtual absl::Status Append(std::span<const JournalEntry> group) = 0;

  // Appends `group` and applies `state` in one atomic write (one sync under
  // SyncPolicy::kAlways): afterwards all of it is visible or, on error,
  // nothing of it. `group` may be empty: a state-only write (how `marketctl
  // rebuild` rewrites the state); last_sequence() moves only with entries.
  // Append(group) is Append(group, {}). The default implementation (for
  // journals without state) accepts only an empty `state`.
  [[nodiscard]] virtual absl::Status Append(std::span<const JournalEntry> group,
                                            std::span<const StateChange> state);

  // Calls `visit` for each state record whose key starts with `prefix` (""
  // for all), in key order, from one consistent view (never part of an
  // append), and stops at the first error. A record that fails its checksum
  // is DATA_LOSS naming its key. The default implementation is UNIMPLEMENTED.
  [[nodiscard]] virtual absl::Status ReadState(std::string_view prefix,
                                               const StateVisitor& visit) const;

  // The sequence of the last appended entry; 0 when empty.
  virtual uint64_t last_sequence() const = 0;

  // Calls `visit` for each entry with from <= sequence <= to, in order, and
  // stops at the first error (its own or `visit`'s). A record that fails its
  // checksum or parse is DATA_LOSS naming the sequence.
  [[nodiscard]] virtual absl::Status Read(
      uint64_t from, uint64_t to,
      const std::function<absl::Status(const JournalEntry&)>& visit) const = 0;

  // Writes a consistent copy of this journal to the directory `to` (which must
  // not exist) while the journal stays open for appends: how a running server
  // takes a backup. UNIMPLEMENTED for a journal without files.
  [[nodiscard]] virtual absl::Status Checkpoint(const std::string& to) const = 0;

  // A named position in the journal kept by a reader that must resume after
  // a restart (the Kafka publisher: the last sequence whose events were all
  // delivered). 0 when never written. WriteCursor may run on another thread
  // than Append; it is written through the WAL but not synced on its own: a
  // crash may lose the latest move, so a reader resumes at or before the
  // point it reached (at-least-once).
  [[nodiscard]] virtual absl::StatusOr<uint64_t> ReadCursor(std::string_view name) const = 0;
  [[nodiscard]] virtual absl::Status WriteCursor(std::string_view name, uint64_t sequence) = 0;
};

// The sequence the stored state was written at (its "state last_sequence"
// record, which JournaledMarket writes with every group); 0 when there is
// none. DATA_LOSS when the record does not parse.
absl::StatusOr<uint64_t> StateLastSequence(const Journal& journal);

struct RocksJournalOptions {
  SyncPolicy sync = SyncPolicy::kAlways;
  bool create_if_missing = true;
};

// Opens the RocksDB journal in `dir` (created when missing and allowed).
// Errors: the directory is missing and may not be created (NOT_FOUND), locked
// by another process (UNAVAILABLE), of a format version outside
// kOldestFormatVersion..kFormatVersion (FAILED_PRECONDITION), or its tail does
// not match its meta (DATA_LOSS); each message names the directory and, where
// it applies, the sequence. Whether the state matches the journal is
// JournaledMarket::Open's check, not this one.
absl::StatusOr<std::unique_ptr<Journal>> OpenRocksJournal(const std::string& dir,
                                                          const RocksJournalOptions& options);

// Opens the journal in `dir` (not in use by another process) and writes a
// consistent copy of it to `to` (a RocksDB checkpoint: hard links where
// possible). `to` must not exist. A process that holds the journal open calls
// Journal::Checkpoint instead.
absl::Status CheckpointRocksJournal(const std::string& dir, const std::string& to);

// An in-memory journal for tests, with fault injection. Thread-safe like the
// RocksDB one: one appender, readers on other threads.
class MemoryJournal final : public Journal {
 public:
  absl::Status Append(std::span<const JournalEntry> group) override;
  absl::Status Append(std::span<const JournalEntry> group,
                      std::span<const StateChange> state) override;
  absl::Status ReadState(std::string_view prefix, const StateVisitor& visit) const override;
  uint64_t last_sequence() const override;
  absl::Status Read(uint64_t from, uint64_t to,
                    const std::function<absl::Status(const JournalEntry&)>& visit) const override;
  absl::Status Checkpoint(const std::string& to) const override;
  absl::StatusOr<uint64_t> ReadCursor(std::string_view name) const override;
  absl::Status WriteCursor(std::string_view name, uint64_t sequence) override;

  // The next Append fails with `status` and writes nothing (entries or state).
  void FailNextWrite(absl::Status status) { fail_next_write_ = std::move(status); }
  // The next Append "writes" but its sync fails: it returns `status` and, as a
  // crash after a failed sync would, keeps nothing of the group or its state.
  void FailNextSync(absl::Status status) { fail_next_sync_ = std::move(status); }

 private:
  mutable std::mutex mutex_;
  std::vector<JournalEntry> entries_;
  std::map<std::string, std::string, std::less<>> state_;  // key -> body
  std::map<std::string, uint64_t, std::less<>> cursors_;
  absl::Status fail_next_write_;
  absl::Status fail_next_sync_;
};

}  // namespace market::storage
