// RocksJournal behaviour beyond the shared contract: reopening, format
// version, locking, corruption and checkpoints.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "storage/internal/record_format.h"
#include "storage/journal.h"
#include "storage/tests/journal_test_util.h"

namespace market::storage {
namespace {

using testing_util::Contains;
using testing_util::MakeEntry;
using testing_util::MakeGroup;
using testing_util::RawRocks;
using testing_util::ReadAll;

class RocksJournalTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(temp_.ok()); }

  absl::StatusOr<std::unique_ptr<Journal>> Open(RocksJournalOptions options = {}) {
    return OpenRocksJournal(dir_, options);
  }

  // Creates the journal with `entries` appended, then closes it.
  void Create(const std::vector<JournalEntry>& entries) {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    const absl::Status appended = (*journal)->Append(entries);
    ASSERT_TRUE(appended.ok()) << appended;
  }

  // Changes the closed journal through a raw RocksDB handle.
  void Put(RawRocks::Family family, const std::string& key, const std::string& value) {
    RawRocks raw(dir_);
    ASSERT_TRUE(raw.status().ok()) << raw.status().ToString();
    const rocksdb::Status put = raw.Put(family, key, value);
    ASSERT_TRUE(put.ok()) << put.ToString();
  }

  std::string Get(RawRocks::Family family, const std::string& key) {
    RawRocks raw(dir_);
    EXPECT_TRUE(raw.status().ok()) << raw.status().ToString();
    return raw.Get(family, key);
  }

  // Reads the whole journal after reopening it; the open must succeed.
  absl::Status ReopenAndRead() {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    if (!journal.ok()) return journal.status();
    return ReadAll(**journal).status();
  }

  testing_util::ScopedTempDir temp_;
  const std::string dir_ = temp_.Sub("journal");
};

TEST_F(RocksJournalTest, ReopenKeepsEntriesAndLastSequence) {
  const std::vector<JournalEntry> entries = MakeGroup(1, 20);
  Create(entries);
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open({.create_if_missing = false});
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_EQ((*journal)->last_sequence(), 20u);
  absl::StatusOr<std::vector<JournalEntry>> read = ReadAll(**journal);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, entries);
  const absl::Status appended = (*journal)->Append(MakeGroup(21, 1));
  EXPECT_TRUE(appended.ok()) << appended;
}

TEST_F(RocksJournalTest, CursorSurvivesReopen) {
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    ASSERT_TRUE((*journal)->WriteCursor("kafka", 42).ok());
  }
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open({.create_if_missing = false});
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_EQ(*(*journal)->ReadCursor("kafka"), 42u);
}

TEST_F(RocksJournalTest, SyncPolicyNeverStillRoundTrips) {
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open({.sync = SyncPolicy::kNever});
    ASSERT_TRUE(journal.ok()) << journal.status();
    ASSERT_TRUE((*journal)->Append(MakeGroup(1, 5)).ok());
  }
  absl::StatusOr<std::unique_ptr<Journal>> reopened = Open();
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(ReadAll(**reopened).value(), MakeGroup(1, 5));
}

TEST_F(RocksJournalTest, WritesFormatVersionOnCreate) {
  Create({});
  EXPECT_EQ(Get(RawRocks::kMeta, "format_version"), std::to_string(kFormatVersion));
  EXPECT_EQ(Get(RawRocks::kMeta, "last_sequence"), internal::EncodeU64(0));
}

TEST_F(RocksJournalTest, OtherFormatVersionIsFailedPrecondition) {
  Create(MakeGroup(1, 2));
  Put(RawRocks::kMeta, "format_version", "3");
  const absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kFailedPrecondition) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), "\"3\"")) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), "expected 2")) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), dir_)) << journal.status();
}

TEST_F(RocksJournalTest, FormatVersionZeroIsFailedPrecondition) {
  Create(MakeGroup(1, 2));
  Put(RawRocks::kMeta, "format_version", "0");
  EXPECT_EQ(Open().status().code(), absl::StatusCode::kFailedPrecondition);
}

// Version 1 had the same commands and events and no state: it opens, and its
// first state write (a rebuild) makes it version 2 in the same batch.
TEST_F(RocksJournalTest, Version1OpensAndItsFirstStateWriteUpgradesIt) {
  Create(MakeGroup(1, 3));
  Put(RawRocks::kMeta, "format_version", "1");
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    EXPECT_EQ(ReadAll(**journal).value(), MakeGroup(1, 3));
    ASSERT_TRUE((*journal)->Append(MakeGroup(4, 1)).ok());
  }
  EXPECT_EQ(Get(RawRocks::kMeta, "format_version"), "1") << "entries alone do not upgrade it";
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    const StateChange put = testing_util::Put("s", "x");
    ASSERT_TRUE((*journal)->Append({}, std::span(&put, 1)).ok());
  }
  EXPECT_EQ(Get(RawRocks::kMeta, "format_version"), "2");
}

TEST_F(RocksJournalTest, FlippedStateByteIsDataLossNamingTheKey) {
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    const std::vector<StateChange> state = {testing_util::Put("rCTA", "role body"),
                                            testing_util::Put("rCRA", "another")};
    ASSERT_TRUE((*journal)->Append(MakeGroup(1, 1), state).ok());
  }
  std::string value = Get(RawRocks::kState, "rCTA");
  value.back() ^= 0x01;
  Put(RawRocks::kState, "rCTA", value);
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  ASSERT_TRUE(journal.ok()) << journal.status();
  const absl::Status read = testing_util::ReadAllState(**journal).status();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "state record role \"CTA\" fails its checksum")) << read;
  EXPECT_TRUE(Contains(read, dir_)) << read;
}

// The crc covers the key: a body moved under another key does not pass.
TEST_F(RocksJournalTest, StateBodyUnderAnotherKeyFailsItsChecksum) {
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    const StateChange put = testing_util::Put("rCTA", "role body");
    ASSERT_TRUE((*journal)->Append({}, std::span(&put, 1)).ok());
  }
  Put(RawRocks::kState, "rCRA", Get(RawRocks::kState, "rCTA"));
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  ASSERT_TRUE(journal.ok()) << journal.status();
  const absl::Status read = testing_util::ReadAllState(**journal).status();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "role \"CRA\"")) << read;
}

TEST_F(RocksJournalTest, TruncatedStateValueIsDataLoss) {
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    const StateChange put = testing_util::Put("s", "body");
    ASSERT_TRUE((*journal)->Append({}, std::span(&put, 1)).ok());
  }
  Put(RawRocks::kState, "s", "abc");
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  ASSERT_TRUE(journal.ok()) << journal.status();
  const absl::Status read = testing_util::ReadAllState(**journal).status();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "state last_sequence fails its checksum")) << read;
}

TEST_F(RocksJournalTest, StateSurvivesReopenAndClearSurvivesIt) {
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    const std::vector<StateChange> state = {testing_util::Put("a1", "x"),
                                            testing_util::Put("b2", "y")};
    ASSERT_TRUE((*journal)->Append(MakeGroup(1, 2), state).ok());
  }
  {
    absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
    ASSERT_TRUE(journal.ok()) << journal.status();
    EXPECT_EQ(testing_util::ReadAllState(**journal).value().size(), 2u);
    const std::vector<StateChange> state = {testing_util::Clear(), testing_util::Put("c3", "z")};
    ASSERT_TRUE((*journal)->Append({}, state).ok());
  }
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_EQ(testing_util::ReadAllState(**journal).value(),
            (std::map<std::string, std::string>{{"c3", "z"}}));
  EXPECT_EQ((*journal)->last_sequence(), 2u);
}

TEST_F(RocksJournalTest, UnparsableFormatVersionIsFailedPrecondition) {
  Create({});
  Put(RawRocks::kMeta, "format_version", std::string("\x01\xff", 2));
  EXPECT_EQ(Open().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(RocksJournalTest, SecondOpenOfALockedDirectoryIsUnavailable) {
  absl::StatusOr<std::unique_ptr<Journal>> first = Open();
  ASSERT_TRUE(first.ok()) << first.status();
  const absl::StatusOr<std::unique_ptr<Journal>> second = Open();
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable) << second.status();
  EXPECT_TRUE(Contains(second.status(), dir_)) << second.status();
  EXPECT_TRUE(Contains(second.status(), "locked")) << second.status();
  first->reset();
  EXPECT_TRUE(Open().ok());  // the lock goes with the journal
}

TEST_F(RocksJournalTest, MissingDirectoryWithoutCreateIsNotFound) {
  const absl::StatusOr<std::unique_ptr<Journal>> journal = Open({.create_if_missing = false});
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kNotFound) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), dir_)) << journal.status();
  EXPECT_FALSE(std::filesystem::exists(dir_));
}

TEST_F(RocksJournalTest, FlippedCommandByteIsDataLossNamingTheSequence) {
  Create(MakeGroup(1, 5));
  std::string value = Get(RawRocks::kCommands, internal::CommandKey(3));
  value.back() ^= 0x20;
  Put(RawRocks::kCommands, internal::CommandKey(3), value);
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_TRUE(ReadAll(**journal, 1, 2).ok());  // records before it still read
  const absl::Status read = ReadAll(**journal).status();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "journal record at sequence 3 fails its checksum")) << read;
}

TEST_F(RocksJournalTest, FlippedCrcByteIsDataLoss) {
  Create(MakeGroup(1, 2));
  std::string value = Get(RawRocks::kCommands, internal::CommandKey(2));
  value[0] ^= 0x01;
  Put(RawRocks::kCommands, internal::CommandKey(2), value);
  const absl::Status read = ReopenAndRead();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "sequence 2")) << read;
}

TEST_F(RocksJournalTest, TruncatedCommandValuesAreDataLoss) {
  Create(MakeGroup(1, 4));
  const std::string value = Get(RawRocks::kCommands, internal::CommandKey(4));
  for (size_t size = 0; size < 5; ++size) {
    Put(RawRocks::kCommands, internal::CommandKey(4), value.substr(0, size));
    const absl::Status read = ReopenAndRead();
    EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << "size " << size << ": " << read;
    EXPECT_TRUE(Contains(read, "journal record at sequence 4 fails its checksum")) << read;
  }
}

TEST_F(RocksJournalTest, UnknownKindWithAValidChecksumIsDataLoss) {
  Create(MakeGroup(1, 2));
  Put(RawRocks::kCommands, internal::CommandKey(2),
      internal::CommandValue(static_cast<JournalEntry::Kind>(7), "payload"));
  const absl::Status read = ReopenAndRead();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "sequence 2 has unknown kind 7")) << read;
}

TEST_F(RocksJournalTest, FlippedEventByteIsDataLossNamingTheSequence) {
  Create(MakeGroup(1, 4));  // sequence 3 has events 0, 1 and 2
  std::string value = Get(RawRocks::kEvents, internal::EventKey(3, 1));
  value[6] ^= 0x01;
  Put(RawRocks::kEvents, internal::EventKey(3, 1), value);
  const absl::Status read = ReopenAndRead();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "journal record at sequence 3 fails its checksum")) << read;
}

TEST_F(RocksJournalTest, TruncatedEventValueIsDataLoss) {
  Create(MakeGroup(1, 4));
  const std::string value = Get(RawRocks::kEvents, internal::EventKey(2, 1));
  Put(RawRocks::kEvents, internal::EventKey(2, 1), value.substr(0, 2));
  const absl::Status read = ReopenAndRead();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "journal record at sequence 2 fails its checksum")) << read;
}

TEST_F(RocksJournalTest, MissingEventIndexIsDataLoss) {
  Create(MakeGroup(1, 4));
  {
    RawRocks raw(dir_);
    ASSERT_TRUE(raw.status().ok());
    ASSERT_TRUE(raw.Delete(RawRocks::kEvents, internal::EventKey(3, 0)).ok());
  }
  const absl::Status read = ReopenAndRead();
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_TRUE(Contains(read, "sequence 3")) << read;
}

TEST_F(RocksJournalTest, MetaAheadOfTheCommandsTailFailsOpen) {
  Create(MakeGroup(1, 3));
  Put(RawRocks::kMeta, "last_sequence", internal::EncodeU64(5));
  const absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kDataLoss) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), "last_sequence 5")) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), "sequence 3")) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), dir_)) << journal.status();
}

TEST_F(RocksJournalTest, CommandsTailBeyondMetaFailsOpen) {
  Create(MakeGroup(1, 3));
  Put(RawRocks::kCommands, internal::CommandKey(4),
      internal::CommandValue(JournalEntry::Kind::kCommand, "stray"));
  const absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  EXPECT_EQ(journal.status().code(), absl::StatusCode::kDataLoss) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), "last_sequence 3")) << journal.status();
  EXPECT_TRUE(Contains(journal.status(), "sequence 4")) << journal.status();
}

// Read on another thread while the writer appends sees whole groups only.
TEST_F(RocksJournalTest, ReadOnAnotherThreadSeesWholeGroups) {
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open({.sync = SyncPolicy::kNever});
  ASSERT_TRUE(journal.ok()) << journal.status();
  constexpr uint64_t kGroups = 200;
  constexpr uint64_t kGroupSize = 4;
  std::thread writer([&] {
    for (uint64_t group = 0; group < kGroups; ++group) {
      EXPECT_TRUE((*journal)->Append(MakeGroup(group * kGroupSize + 1, kGroupSize)).ok());
    }
  });
  uint64_t seen = 0;
  while (seen < kGroups * kGroupSize) {
    absl::StatusOr<std::vector<JournalEntry>> read = ReadAll(**journal);
    // No ASSERT here: returning early would leave `writer` unjoined.
    const bool whole = read.ok() && read->size() % kGroupSize == 0 && read->size() >= seen &&
                       *read == MakeGroup(1, read->size());
    EXPECT_TRUE(whole) << read.status() << " after " << seen << " entries";
    if (!whole) break;
    seen = read->size();
  }
  writer.join();
}

TEST_F(RocksJournalTest, CheckpointCopiesEveryEntry) {
  const std::vector<JournalEntry> entries = MakeGroup(1, 50);
  Create(entries);
  const std::string copy = temp_.Sub("copy");
  const absl::Status checkpointed = CheckpointRocksJournal(dir_, copy);
  ASSERT_TRUE(checkpointed.ok()) << checkpointed;
  absl::StatusOr<std::unique_ptr<Journal>> journal =
      OpenRocksJournal(copy, {.create_if_missing = false});
  ASSERT_TRUE(journal.ok()) << journal.status();
  EXPECT_EQ((*journal)->last_sequence(), 50u);
  EXPECT_EQ(ReadAll(**journal).value(), entries);
}

TEST_F(RocksJournalTest, CheckpointToAnExistingPathFails) {
  Create(MakeGroup(1, 2));
  const std::string copy = temp_.Sub("copy");
  std::filesystem::create_directory(copy);
  const absl::Status checkpointed = CheckpointRocksJournal(dir_, copy);
  EXPECT_EQ(checkpointed.code(), absl::StatusCode::kAlreadyExists) << checkpointed;
  EXPECT_TRUE(Contains(checkpointed, copy)) << checkpointed;
}

TEST_F(RocksJournalTest, CheckpointOfAMissingJournalIsNotFound) {
  const absl::Status checkpointed = CheckpointRocksJournal(dir_, temp_.Sub("copy"));
  EXPECT_EQ(checkpointed.code(), absl::StatusCode::kNotFound) << checkpointed;
}

// The header's CheckpointRocksJournal opens `dir` itself, so it cannot copy a
// journal that this process holds open.
TEST_F(RocksJournalTest, CheckpointOfAnOpenJournalIsUnavailable) {
  absl::StatusOr<std::unique_ptr<Journal>> journal = Open();
  ASSERT_TRUE(journal.ok()) << journal.status();
  const absl::Status checkpointed = CheckpointRocksJournal(dir_, temp_.Sub("copy"));
  EXPECT_EQ(checkpointed.code(), absl::StatusCode::kUnavailable) << checkpointed;
}

}  // namespace
}  // namespace market::storage
