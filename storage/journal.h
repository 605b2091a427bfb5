// Journal: the durable, ordered record of every sequenced command and the
// events it produced. The source of truth for replay, audit and recovery.
//
// A group of entries is appended atomically (all or none) and, with
// SyncPolicy::kAlways, durably before Append returns: callers acknowledge a
// command only after its group's Append succeeded. Sequences are dense: the
// first entry of a group is last_sequence() + 1 and each next one adds 1.
//
// On disk (RocksJournal), column families and keys (big-endian, so iteration
// order is sequence order):
//
//   commands  [seq: u64 BE]               -> [crc32c: u32 LE][kind: u8][payload]
//   events    [seq: u64 BE][index: u32 BE] -> [crc32c: u32 LE][Event bytes]
//   meta      "format_version"            -> decimal text, kFormatVersion
//             "last_sequence"             -> u64 BE
//             "cursor/<name>"             -> u64 BE (e.g. "cursor/kafka")
//   state     reserved for the current-state records (issue 3, not yet written)
//
// The crc32c covers everything after it; a mismatch or an unparsable record
// is reported with its sequence, never skipped.
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

inline constexpr int kFormatVersion = 1;

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

struct RocksJournalOptions {
  SyncPolicy sync = SyncPolicy::kAlways;
  bool create_if_missing = true;
};

// Opens the RocksDB journal in `dir` (created when missing and allowed).
// Errors: the directory is missing and may not be created (NOT_FOUND), locked
// by another process (UNAVAILABLE), of another format version
// (FAILED_PRECONDITION), or its tail does not match its meta (DATA_LOSS); each
// message names the directory and, where it applies, the sequence.
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
  uint64_t last_sequence() const override;
  absl::Status Read(uint64_t from, uint64_t to,
                    const std::function<absl::Status(const JournalEntry&)>& visit) const override;
  absl::Status Checkpoint(const std::string& to) const override;
  absl::StatusOr<uint64_t> ReadCursor(std::string_view name) const override;
  absl::Status WriteCursor(std::string_view name, uint64_t sequence) override;

  // The next Append fails with `status` and writes nothing.
  void FailNextWrite(absl::Status status) { fail_next_write_ = std::move(status); }
  // The next Append "writes" but its sync fails: it returns `status` and, as a
  // crash after a failed sync would, keeps nothing of the group.
  void FailNextSync(absl::Status status) { fail_next_sync_ = std::move(status); }

 private:
  mutable std::mutex mutex_;
  std::vector<JournalEntry> entries_;
  std::map<std::string, uint64_t, std::less<>> cursors_;
  absl::Status fail_next_write_;
  absl::Status fail_next_sync_;
};

}  // namespace market::storage
