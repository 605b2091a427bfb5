// Helpers shared by the storage tests: a temporary directory removed on
// destruction, entry builders, a Read (and a ReadState) that collects, a
// journal that borrows another (so a test can reopen a market over the same
// MemoryJournal), and a raw RocksDB handle on a journal directory for tests
// that corrupt records behind its back.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "storage/journal.h"

namespace market::storage::testing_util {

// A fresh directory under testing::TempDir(), removed with everything in it.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern =
        (std::filesystem::path(testing::TempDir()) / "storage_test_XXXXXX").string();
    if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  ~ScopedTempDir() {
    std::error_code ignored;
    if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
  }

  bool ok() const { return !path_.empty(); }
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline JournalEntry MakeEntry(uint64_t sequence, std::string payload = "command",
                              std::vector<std::string> events = {},
                              JournalEntry::Kind kind = JournalEntry::Kind::kCommand) {
  return JournalEntry{.sequence = sequence,
                      .kind = kind,
                      .payload = std::move(payload),
                      .events = std::move(events)};
}

// `count` entries from `first`, each with `sequence % 4` small events.
inline std::vector<JournalEntry> MakeGroup(uint64_t first, size_t count) {
  std::vector<JournalEntry> group;
  for (uint64_t sequence = first; sequence < first + count; ++sequence) {
    std::vector<std::string> events;
    for (uint64_t i = 0; i < sequence % 4; ++i) {
      events.push_back("event " + std::to_string(sequence) + "." + std::to_string(i));
    }
    group.push_back(MakeEntry(sequence, "command " + std::to_string(sequence), std::move(events)));
  }
  return group;
}

inline absl::StatusOr<std::vector<JournalEntry>> ReadAll(
    const Journal& journal, uint64_t from = 0, uint64_t to = std::numeric_limits<uint64_t>::max()) {
  std::vector<JournalEntry> entries;
  const absl::Status read = journal.Read(from, to, [&](const JournalEntry& entry) {
    entries.push_back(entry);
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return entries;
}

// Every state record (key -> body) whose key starts with `prefix`.
inline absl::StatusOr<std::map<std::string, std::string>> ReadAllState(
    const Journal& journal, std::string_view prefix = "") {
  std::map<std::string, std::string> records;
  const absl::Status read =
      journal.ReadState(prefix, [&](std::string_view key, std::string_view body) {
        records.emplace(std::string(key), std::string(body));
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return records;
}

inline StateChange Put(std::string key, std::string value) {
  return StateChange{.op = StateChange::Op::kPut, .key = std::move(key), .value = std::move(value)};
}
inline StateChange Delete(std::string key) {
  return StateChange{.op = StateChange::Op::kDelete, .key = std::move(key), .value = {}};
}
inline StateChange Clear() {
  return StateChange{.op = StateChange::Op::kClear, .key = {}, .value = {}};
}

// Forwards everything to a journal it does not own (which must outlive it).
class BorrowedJournal final : public Journal {
 public:
  explicit BorrowedJournal(Journal& journal) : journal_(journal) {}
  absl::Status Append(std::span<const JournalEntry> group) override {
    return journal_.Append(group);
  }
  absl::Status Append(std::span<const JournalEntry> group,
                      std::span<const StateChange> state) override {
    return journal_.Append(group, state);
  }
  absl::Status ReadState(std::string_view prefix, const StateVisitor& visit) const override {
    return journal_.ReadState(prefix, visit);
  }
  uint64_t last_sequence() const override { return journal_.last_sequence(); }
  absl::Status Read(uint64_t from, uint64_t to,
                    const std::function<absl::Status(const JournalEntry&)>& visit) const override {
    return journal_.Read(from, to, visit);
  }
  absl::Status Checkpoint(const std::string& to) const override { return journal_.Checkpoint(to); }
  absl::StatusOr<uint64_t> ReadCursor(std::string_view name) const override {
    return journal_.ReadCursor(name);
  }
  absl::Status WriteCursor(std::string_view name, uint64_t sequence) override {
    return journal_.WriteCursor(name, sequence);
  }

 private:
  Journal& journal_;
};

inline bool Contains(const absl::Status& status, const std::string& text) {
  return std::string(status.message()).find(text) != std::string::npos;
}

// The journal's column families opened directly, bypassing every check.
class RawRocks {
 public:
  enum Family : size_t { kDefault, kCommands, kEvents, kState, kMeta };

  explicit RawRocks(const std::string& dir) {
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const char* name : {"default", "commands", "events", "state", "meta"}) {
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* db = nullptr;
    status_ = rocksdb::DB::Open(rocksdb::DBOptions(), dir, families, &handles_, &db);
    db_.reset(db);
  }
  RawRocks(const RawRocks&) = delete;
  RawRocks& operator=(const RawRocks&) = delete;
  ~RawRocks() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      (void)db_->DestroyColumnFamilyHandle(handle);
    }
    if (db_) (void)db_->Close();
  }

  const rocksdb::Status& status() const { return status_; }

  rocksdb::Status Put(Family family, const std::string& key, const std::string& value) {
    return db_->Put(rocksdb::WriteOptions(), handles_[family], key, value);
  }
  rocksdb::Status Delete(Family family, const std::string& key) {
    return db_->Delete(rocksdb::WriteOptions(), handles_[family], key);
  }
  std::string Get(Family family, const std::string& key) {
    std::string value;
    status_ = db_->Get(rocksdb::ReadOptions(), handles_[family], key, &value);
    return value;
  }

 private:
  rocksdb::Status status_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
};

}  // namespace market::storage::testing_util
