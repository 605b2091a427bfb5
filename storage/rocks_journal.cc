// RocksJournal: the Journal contract over one RocksDB instance, with the
// column families and record layout drawn in storage/journal.h and encoded by
// storage/internal/record_format.h.
//
// Invariants, checked on open and kept by Append:
//   * meta "format_version" is kFormatVersion, or kOldestFormatVersion until
//     the first state write (which sets it to kFormatVersion in its batch);
//   * meta "last_sequence" equals the last key of `commands` (0 when empty),
//     because one WriteBatch carries a group's records and its last_sequence;
//   * last_sequence_ mirrors meta "last_sequence" and moves only after a
//     successful write.
//
// Threads: one writer thread calls Append. Read and ReadState may run on
// other threads at the same time: RocksDB reads are thread-safe, each read
// pins a snapshot, and last_sequence_ is atomic.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/slice.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "storage/internal/group_check.h"
#include "storage/internal/record_format.h"
#include "storage/journal.h"

namespace market::storage {
namespace {

using internal::CommandKey;
using internal::EventKey;

// Column families in open order; the index is the position in handles.
enum Family : size_t { kDefault, kCommands, kEvents, kState, kMeta, kFamilyCount };
constexpr std::string_view kFamilyNames[kFamilyCount] = {"default", "commands", "events", "state",
                                                         "meta"};

// Options for an append-mostly log read back in long forward scans:
//   * level compaction (the default) with dynamic level sizes: keys arrive in
//     order, so most compactions are trivial moves and space amplification
//     stays near 1.1x;
//   * no bloom filters: reads are range scans, and the only point lookups are
//     the two meta keys, opened once;
//   * max_open_files 512: enough table files open for a long replay without
//     holding every descriptor of a large journal;
//   * the WAL is always on (Append never sets disableWAL) and recovery is
//     point-in-time: after a crash a torn last WAL record, which belonged to
//     a group whose Append never returned, is dropped;
//   * automatic compactions start with the first write of this open, not at
//     open: recovery (loading the state, re-executing) only reads, and on a
//     small machine a compaction left over from the last run would take the
//     CPU it needs (measured: 5 s of loading became 12);
//   * RocksDB's own info LOG is capped at 4 files of 16 MiB;
//   * the WAL is capped at 256 MiB (max_total_wal_size): past it, RocksDB
//     flushes the families holding the oldest log, so a restart after a crash
//     replays at most that much (the default, four times every family's
//     write buffers, would be 2.5 GiB here); a clean close flushes every
//     family, so a restart after it replays nothing.
rocksdb::DBOptions JournalDbOptions(bool create_if_missing) {
  rocksdb::DBOptions options;
  options.create_if_missing = create_if_missing;
  options.create_missing_column_families = true;
  options.max_open_files = 512;
  options.paranoid_checks = true;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  options.max_log_file_size = 16 << 20;
  options.keep_log_file_num = 4;
  options.max_total_wal_size = 256 << 20;
  return options;
}

rocksdb::ColumnFamilyOptions JournalFamilyOptions() {
  rocksdb::ColumnFamilyOptions options;
  options.compaction_style = rocksdb::kCompactionStyleLevel;
  options.level_compaction_dynamic_level_bytes = true;
  options.disable_auto_compactions = true;  // until the first write: EnableCompactions
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy = nullptr;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return options;
}

std::vector<rocksdb::ColumnFamilyDescriptor> JournalFamilies() {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string_view name : kFamilyNames) {
    families.emplace_back(std::string(name), JournalFamilyOptions());
  }
  return families;
}

// Maps a RocksDB status to the gRPC-meaning code the journal reports, with
// `context` (which names the directory) in front of RocksDB's message.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view context) {
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsNoSpace()) return absl::ResourceExhaustedError(message);
  if (status.IsIOError() || status.IsBusy() || status.IsTimedOut() || status.IsTryAgain()) {
    return absl::UnavailableError(message);
  }
  // Our arguments are checked before RocksDB sees them, so anything it calls
  // invalid is a property of the directory.
  if (status.IsInvalidArgument()) return absl::FailedPreconditionError(message);
  return absl::InternalError(message);
}

// RocksDB reports a held LOCK file as an IOError naming `<dir>/LOCK`, both for
// another process ("While lock file: ...") and for a second open in this one
// ("lock hold by current process ...").
bool IsLockHeld(const rocksdb::Status& status) {
  return status.IsIOError() && status.ToString().find("/LOCK") != std::string::npos;
}

bool HasDatabase(const std::string& dir) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::path(dir) / "CURRENT", error);
}

class RocksJournal final : public Journal {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RocksJournal>> Open(
      const std::string& dir, const RocksJournalOptions& options);

  RocksJournal(const RocksJournal&) = delete;
  RocksJournal& operator=(const RocksJournal&) = delete;
  ~RocksJournal() override;

  absl::Status Append(std::span<const JournalEntry> group) override { return Append(group, {}); }
  absl::Status Append(std::span<const JournalEntry> group,
                      std::span<const StateChange> state) override;
  uint64_t last_sequence() const override { return last_sequence_.load(std::memory_order_acquire); }
  absl::Status Read(uint64_t from, uint64_t to,
                    const std::function<absl::Status(const JournalEntry&)>& visit) const override;
  absl::Status ReadState(std::string_view prefix, const StateVisitor& visit) const override;

  absl::Status Checkpoint(const std::string& to) const override;
  absl::StatusOr<uint64_t> ReadCursor(std::string_view name) const override;
  absl::Status WriteCursor(std::string_view name, uint64_t sequence) override;

 private:
  RocksJournal(std::string dir, SyncPolicy sync, rocksdb::DB* db,
               std::vector<rocksdb::ColumnFamilyHandle*> families)
      : dir_(std::move(dir)), sync_(sync), db_(db), families_(std::move(families)) {}

  [[nodiscard]] absl::Status CheckOrWriteFormatVersion();
  [[nodiscard]] absl::Status EnableCompactions();
  [[nodiscard]] absl::Status RecoverLastSequence();
  [[nodiscard]] absl::StatusOr<uint64_t> CommandsTail() const;
  [[nodiscard]] bool FamilyIsEmpty(Family family) const;
  [[nodiscard]] absl::Status WriteGroup(std::span<const JournalEntry> group,
                                        std::span<const StateChange> state);
  [[nodiscard]] absl::StatusOr<JournalEntry> ReadEntry(rocksdb::Iterator& commands,
                                                       rocksdb::Iterator& events,
                                                       uint64_t sequence) const;
  [[nodiscard]] absl::Status ReadEvents(rocksdb::Iterator& events, JournalEntry& entry) const;
  [[nodiscard]] std::unique_ptr<rocksdb::Iterator> NewIterator(
      Family family, const rocksdb::ReadOptions& options) const;

  rocksdb::ColumnFamilyHandle* family(Family f) const { return families_[f]; }
  absl::Status DataLoss(absl::string_view what) const {
    return absl::DataLossError(absl::StrCat("journal in ", dir_, ": ", what));
  }

  const std::string dir_;
  const SyncPolicy sync_;
  std::unique_ptr<rocksdb::DB> db_;
  // Owned; destroyed before db_ closes.
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
  std::atomic<uint64_t> last_sequence_{0};
  int format_version_ = kFormatVersion;  // as found on open; writer thread only
  std::atomic<bool> compactions_enabled_{false};
  rocksdb::WriteBatch batch_;  // reused by every Append (keeps its capacity)
};

absl::StatusOr<std::unique_ptr<RocksJournal>> RocksJournal::Open(
    const std::string& dir, const RocksJournalOptions& options) {
  if (!options.create_if_missing && !HasDatabase(dir)) {
    return absl::NotFoundError(absl::StrCat("journal directory ", dir,
                                            " holds no journal and create_if_missing is false"));
  }
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  const rocksdb::Status opened = rocksdb::DB::Open(JournalDbOptions(options.create_if_missing), dir,
                                                   JournalFamilies(), &families, &db);
  if (IsLockHeld(opened)) {
    return absl::UnavailableError(absl::StrCat(
        "journal directory ", dir, " is locked by another open journal: ", opened.ToString()));
  }
  if (!opened.ok()) return FromRocks(opened, absl::StrCat("opening journal in ", dir));
  std::unique_ptr<RocksJournal> journal(
      new RocksJournal(dir, options.sync, db, std::move(families)));
  if (absl::Status format = journal->CheckOrWriteFormatVersion(); !format.ok()) return format;
  if (absl::Status recovered = journal->RecoverLastSequence(); !recovered.ok()) return recovered;
  return journal;
}

RocksJournal::~RocksJournal() {
  // Flushed, the memtables need no WAL replay on the next open (recovery
  // time); a failure here only leaves that replay to the next open.
  rocksdb::FlushOptions flush;
  flush.allow_write_stall = true;
  (void)db_->Flush(flush, families_);
  for (rocksdb::ColumnFamilyHandle* handle : families_) {
    (void)db_->DestroyColumnFamilyHandle(handle);
  }
  (void)db_->Close();
}

// A journal with no format_version and no records is new (or its creation was
// interrupted): it gets the current version. Anything else must match.
absl::Status RocksJournal::CheckOrWriteFormatVersion() {
  std::string found;
  const rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), family(kMeta),
                                       std::string(internal::kMetaFormatVersion), &found);
  if (got.IsNotFound()) {
    if (!FamilyIsEmpty(kCommands) || !FamilyIsEmpty(kEvents)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "journal in ", dir_, " has records but no format version; expected ", kFormatVersion));
    }
    rocksdb::WriteBatch batch;
    rocksdb::Status put = batch.Put(family(kMeta), std::string(internal::kMetaFormatVersion),
                                    absl::StrCat(kFormatVersion));
    if (put.ok()) {
      put = batch.Put(family(kMeta), std::string(internal::kMetaLastSequence),
                      internal::EncodeU64(0));
    }
    rocksdb::WriteOptions write;
    write.sync = true;
    if (put.ok()) put = db_->Write(write, &batch);
    return put.ok() ? absl::OkStatus()
                    : FromRocks(put, absl::StrCat("initialising journal in ", dir_));
  }
  if (!got.ok()) return FromRocks(got, absl::StrCat("reading format version of journal in ", dir_));
  int version = 0;
  if (!absl::SimpleAtoi(found, &version) || version < kOldestFormatVersion ||
      version > kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "journal in ", dir_, " has format version \"", absl::CEscape(found), "\", expected ",
        kFormatVersion, " (or ", kOldestFormatVersion, ", upgraded by its first state write)"));
  }
  format_version_ = version;
  return absl::OkStatus();
}

absl::Status RocksJournal::RecoverLastSequence() {
  std::string bytes;
  const rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), family(kMeta),
                                       std::string(internal::kMetaLastSequence), &bytes);
  if (got.IsNotFound()) return DataLoss("meta has no last_sequence");
  if (!got.ok()) return FromRocks(got, absl::StrCat("reading last_sequence of journal in ", dir_));
  const std::optional<uint64_t> meta = internal::DecodeU64(bytes);
  if (!meta)
    return DataLoss(absl::StrCat("meta last_sequence has ", bytes.size(), " bytes, not 8"));
  const absl::StatusOr<uint64_t> tail = CommandsTail();
  if (!tail.ok()) return tail.status();
  if (*meta != *tail) {
    return DataLoss(absl::StrCat("meta last_sequence ", *meta,
                                 " does not match the last command record, sequence ", *tail));
  }
  last_sequence_.store(*meta, std::memory_order_release);
  return absl::OkStatus();
}

// The sequence of the last command record; 0 when there is none.
absl::StatusOr<uint64_t> RocksJournal::CommandsTail() const {
  const std::unique_ptr<rocksdb::Iterator> it = NewIterator(kCommands, rocksdb::ReadOptions());
  it->SeekToLast();
  if (!it->status().ok()) {
    return FromRocks(it->status(), absl::StrCat("finding the tail of journal in ", dir_));
  }
  if (!it->Valid()) return 0;
  const std::optional<uint64_t> sequence = internal::DecodeU64(it->key().ToStringView());
  if (!sequence) {
    return DataLoss(absl::StrCat("last command key has ", it->key().size(), " bytes, not 8"));
  }
  return *sequence;
}

bool RocksJournal::FamilyIsEmpty(Family f) const {
  const std::unique_ptr<rocksdb::Iterator> it = NewIterator(f, rocksdb::ReadOptions());
  it->SeekToFirst();
  return !it->Valid() && it->status().ok();
}

std::unique_ptr<rocksdb::Iterator> RocksJournal::NewIterator(
    Family f, const rocksdb::ReadOptions& options) const {
  return std::unique_ptr<rocksdb::Iterator>(db_->NewIterator(options, family(f)));
}

// Turns automatic compactions on (they are off from open until the first
// write, see JournalFamilyOptions). May run on the writer thread and on a
// WriteCursor thread at once: SetOptions is thread-safe and idempotent.
absl::Status RocksJournal::EnableCompactions() {
  if (compactions_enabled_.load(std::memory_order_acquire)) return absl::OkStatus();
  for (rocksdb::ColumnFamilyHandle* handle : families_) {
    const rocksdb::Status set = db_->SetOptions(handle, {{"disable_auto_compactions", "false"}});
    if (!set.ok()) {
      return FromRocks(set, absl::StrCat("enabling compactions of journal in ", dir_));
    }
  }
  compactions_enabled_.store(true, std::memory_order_release);
  return absl::OkStatus();
}

absl::Status RocksJournal::Append(std::span<const JournalEntry> group,
                                  std::span<const StateChange> state) {
  if (absl::Status valid = internal::CheckGroup(last_sequence(), group); !valid.ok()) return valid;
  if (absl::Status valid = internal::CheckState(state); !valid.ok()) return valid;
  if (group.empty() && state.empty()) return absl::OkStatus();
  if (absl::Status enabled = EnableCompactions(); !enabled.ok()) return enabled;
  if (absl::Status written = WriteGroup(group, state); !written.ok()) return written;
  if (!state.empty()) format_version_ = kFormatVersion;
  if (!group.empty()) last_sequence_.store(group.back().sequence, std::memory_order_release);
  return absl::OkStatus();
}

// One WriteBatch: every command record, every event record, meta
// last_sequence, then the state changes (and, on a version 1 journal, the
// upgraded format_version), so RocksDB applies all of it or none. Values go
// in as parts ([crc][kind][payload]) so nothing is concatenated first.
absl::Status RocksJournal::WriteGroup(std::span<const JournalEntry> group,
                                      std::span<const StateChange> state) {
  rocksdb::WriteBatch& batch = batch_;
  batch.Clear();
  rocksdb::Status status;
  std::string key;
  for (const JournalEntry& entry : group) {
    key = CommandKey(entry.sequence);
    const internal::CrcBytes crc = internal::CommandCrc(entry.kind, entry.payload);
    const char kind = static_cast<char>(entry.kind);
    const rocksdb::Slice key_part(key);
    const rocksdb::Slice parts[] = {{crc.data(), crc.size()}, {&kind, 1}, entry.payload};
    status = batch.Put(family(kCommands), rocksdb::SliceParts(&key_part, 1),
                       rocksdb::SliceParts(parts, 3));
    for (uint32_t index = 0; status.ok() && index < entry.events.size(); ++index) {
      key = EventKey(entry.sequence, index);
      const std::string& event = entry.events[index];
      const internal::CrcBytes event_crc = internal::EventCrc(event);
      const rocksdb::Slice event_key(key);
      const rocksdb::Slice event_parts[] = {{event_crc.data(), event_crc.size()}, event};
      status = batch.Put(family(kEvents), rocksdb::SliceParts(&event_key, 1),
                         rocksdb::SliceParts(event_parts, 2));
    }
    if (!status.ok()) break;
  }
  if (status.ok() && !group.empty()) {
    status = batch.Put(family(kMeta), std::string(internal::kMetaLastSequence),
                       internal::EncodeU64(group.back().sequence));
  }
  for (const StateChange& change : state) {
    if (!status.ok()) break;
    switch (change.op) {
      case StateChange::Op::kPut: {
        const internal::CrcBytes crc = internal::StateCrc(change.key, change.value);
        const rocksdb::Slice state_key(change.key);
        const rocksdb::Slice parts[] = {{crc.data(), crc.size()}, change.value};
        status = batch.Put(family(kState), rocksdb::SliceParts(&state_key, 1),
                           rocksdb::SliceParts(parts, 2));
        break;
      }
      case StateChange::Op::kDelete:
        status = batch.Delete(family(kState), change.key);
        break;
      case StateChange::Op::kClear:
        // CheckState keeps every key below "\xff".
        status = batch.DeleteRange(family(kState), rocksdb::Slice(), rocksdb::Slice("\xff", 1));
        break;
    }
  }
  if (status.ok() && !state.empty() && format_version_ != kFormatVersion) {
    status = batch.Put(family(kMeta), std::string(internal::kMetaFormatVersion),
                       absl::StrCat(kFormatVersion));
  }
  rocksdb::WriteOptions write;
  write.sync = sync_ == SyncPolicy::kAlways;
  write.disableWAL = false;
  if (status.ok()) status = db_->Write(write, &batch);
  if (status.ok()) return absl::OkStatus();
  if (group.empty()) {
    return FromRocks(status,
                     absl::StrCat("writing ", state.size(), " state changes to journal in ", dir_));
  }
  return FromRocks(status, absl::StrCat("appending sequences ", group.front().sequence, "..",
                                        group.back().sequence, " to journal in ", dir_));
}

absl::Status RocksJournal::Read(
    uint64_t from, uint64_t to,
    const std::function<absl::Status(const JournalEntry&)>& visit) const {
  from = std::max<uint64_t>(from, 1);
  to = std::min(to, last_sequence());  // loaded before the iterators pin their view
  if (from > to) return absl::OkStatus();
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();  // commands and events from one view
  options.verify_checksums = true;
  options.fill_cache = false;  // replay scans each block once
  const std::unique_ptr<rocksdb::Iterator> commands = NewIterator(kCommands, options);
  const std::unique_ptr<rocksdb::Iterator> events = NewIterator(kEvents, options);
  commands->Seek(CommandKey(from));
  events->Seek(EventKey(from, 0));
  for (uint64_t sequence = from;; ++sequence) {
    absl::StatusOr<JournalEntry> entry = ReadEntry(*commands, *events, sequence);
    if (!entry.ok()) return entry.status();
    if (absl::Status visited = visit(*entry); !visited.ok()) return visited;
    if (sequence == to) return absl::OkStatus();
    commands->Next();
  }
}

absl::Status RocksJournal::ReadState(std::string_view prefix, const StateVisitor& visit) const {
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions options;
  options.snapshot = snapshot.snapshot();  // never part of an append
  options.verify_checksums = true;
  options.fill_cache = false;  // loading scans each block once
  options.readahead_size = 2 << 20;
  const std::unique_ptr<rocksdb::Iterator> it = NewIterator(kState, options);
  for (it->Seek(rocksdb::Slice(prefix.data(), prefix.size())); it->Valid(); it->Next()) {
    const std::string_view key = it->key().ToStringView();
    if (key.substr(0, prefix.size()) != prefix) break;
    const absl::StatusOr<std::string_view> body =
        internal::ParseStateValue(key, it->value().ToStringView());
    if (!body.ok()) return DataLoss(body.status().message());
    if (absl::Status visited = visit(key, *body); !visited.ok()) return visited;
  }
  if (!it->status().ok()) {
    return FromRocks(it->status(), absl::StrCat("reading the state of journal in ", dir_));
  }
  return absl::OkStatus();
}

// The entry at `sequence`: `commands` is positioned on its record and `events`
// on its first event (or past it when it has none).
absl::StatusOr<JournalEntry> RocksJournal::ReadEntry(rocksdb::Iterator& commands,
                                                     rocksdb::Iterator& events,
                                                     uint64_t sequence) const {
  if (!commands.Valid()) {
    if (!commands.status().ok()) {
      return FromRocks(commands.status(),
                       absl::StrCat("reading sequence ", sequence, " of journal in ", dir_));
    }
    return DataLoss(absl::StrCat("the command record at sequence ", sequence, " is missing"));
  }
  const std::optional<uint64_t> key = internal::DecodeU64(commands.key().ToStringView());
  if (!key || *key != sequence) {
    return DataLoss(absl::StrCat("the command record at sequence ", sequence,
                                 " is missing or its key is malformed"));
  }
  const absl::StatusOr<internal::CommandRecord> record =
      internal::ParseCommandValue(sequence, commands.value().ToStringView());
  if (!record.ok()) return record.status();
  JournalEntry entry{.sequence = sequence,
                     .kind = record->kind,
                     .payload = std::string(record->payload),
                     .events = {}};
  if (absl::Status read = ReadEvents(events, entry); !read.ok()) return read;
  return entry;
}

// Appends to `entry` the events under its sequence, which must be indexed
// 0, 1, 2, ...; leaves `events` on the first record of a later sequence.
absl::Status RocksJournal::ReadEvents(rocksdb::Iterator& events, JournalEntry& entry) const {
  for (; events.Valid(); events.Next()) {
    const std::optional<internal::EventKeyParts> key =
        internal::DecodeEventKey(events.key().ToStringView());
    if (!key) {
      return DataLoss(absl::StrCat("an event key after sequence ", entry.sequence, " has ",
                                   events.key().size(), " bytes, not 12"));
    }
    if (key->sequence > entry.sequence) break;
    if (key->sequence < entry.sequence || key->index != entry.events.size()) {
      return DataLoss(absl::StrCat("event record at sequence ", key->sequence, " index ",
                                   key->index, " does not follow the records before it (reading ",
                                   "sequence ", entry.sequence, ")"));
    }
    const absl::StatusOr<std::string_view> event =
        internal::ParseEventValue(entry.sequence, key->index, events.value().ToStringView());
    if (!event.ok()) return event.status();
    entry.events.emplace_back(*event);
  }
  if (!events.status().ok()) {
    return FromRocks(events.status(), absl::StrCat("reading events of sequence ", entry.sequence,
                                                   " of journal in ", dir_));
  }
  return absl::OkStatus();
}

absl::Status RocksJournal::Checkpoint(const std::string& to) const {
  std::error_code error;
  if (std::filesystem::exists(to, error) || error) {
    return absl::AlreadyExistsError(
        absl::StrCat("checkpoint target ", to, " already exists (or cannot be checked)"));
  }
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status status = rocksdb::Checkpoint::Create(db_.get(), &raw);
  const std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  if (status.ok()) status = checkpoint->CreateCheckpoint(to);
  if (status.ok()) return absl::OkStatus();
  return FromRocks(status, absl::StrCat("checkpointing journal in ", dir_, " to ", to));
}

absl::StatusOr<uint64_t> RocksJournal::ReadCursor(std::string_view name) const {
  std::string bytes;
  const rocksdb::Status got =
      db_->Get(rocksdb::ReadOptions(), family(kMeta), internal::CursorKey(name), &bytes);
  if (got.IsNotFound()) return 0;
  if (!got.ok()) {
    return FromRocks(got,
                     absl::StrCat("reading cursor ", std::string(name), " of journal in ", dir_));
  }
  const std::optional<uint64_t> sequence = internal::DecodeU64(bytes);
  if (!sequence) {
    return DataLoss(
        absl::StrCat("cursor ", std::string(name), " has ", bytes.size(), " bytes, not 8"));
  }
  return *sequence;
}

absl::Status RocksJournal::WriteCursor(std::string_view name, uint64_t sequence) {
  if (absl::Status enabled = EnableCompactions(); !enabled.ok()) return enabled;
  rocksdb::WriteOptions write;
  write.sync = false;  // see Journal::WriteCursor: at-least-once after a crash
  const rocksdb::Status put =
      db_->Put(write, family(kMeta), internal::CursorKey(name), internal::EncodeU64(sequence));
  if (put.ok()) return absl::OkStatus();
  return FromRocks(put,
                   absl::StrCat("writing cursor ", std::string(name), " of journal in ", dir_));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Journal>> OpenRocksJournal(const std::string& dir,
                                                          const RocksJournalOptions& options) {
  absl::StatusOr<std::unique_ptr<RocksJournal>> journal = RocksJournal::Open(dir, options);
  if (!journal.ok()) return journal.status();
  return std::unique_ptr<Journal>(std::move(*journal));
}

absl::Status CheckpointRocksJournal(const std::string& dir, const std::string& to) {
  absl::StatusOr<std::unique_ptr<RocksJournal>> journal =
      RocksJournal::Open(dir, {.sync = SyncPolicy::kAlways, .create_if_missing = false});
  if (!journal.ok()) return journal.status();
  return (*journal)->Checkpoint(to);
}

}  // namespace market::storage
