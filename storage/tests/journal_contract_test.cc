// The Journal contract (storage/journal.h), run over every implementation.
#include <gtest/gtest.h>

#include <limits>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "storage/journal.h"
#include "storage/tests/journal_test_util.h"

namespace market::storage {
namespace {

using testing_util::Contains;
using testing_util::MakeEntry;
using testing_util::MakeGroup;
using testing_util::ReadAll;
using testing_util::ReadAllState;
using State = std::map<std::string, std::string>;

constexpr uint64_t kNoLimit = std::numeric_limits<uint64_t>::max();

// A RocksJournal in a fresh temporary directory.
struct RocksBackend {
  static constexpr const char* kName = "Rocks";
  testing_util::ScopedTempDir dir;
  std::unique_ptr<Journal> journal;

  void Open() {
    ASSERT_TRUE(dir.ok());
    absl::StatusOr<std::unique_ptr<Journal>> opened =
        OpenRocksJournal(dir.Sub("journal"), RocksJournalOptions{});
    ASSERT_TRUE(opened.ok()) << opened.status();
    journal = std::move(*opened);
  }
};

struct MemoryBackend {
  static constexpr const char* kName = "Memory";
  std::unique_ptr<Journal> journal;

  void Open() { journal = std::make_unique<MemoryJournal>(); }
};

template <typename Backend>
class JournalContract : public testing::Test {
 protected:
  void SetUp() override { backend_.Open(); }

  Journal& journal() { return *backend_.journal; }

  void AppendOk(const std::vector<JournalEntry>& group) {
    const absl::Status appended = journal().Append(group);
    ASSERT_TRUE(appended.ok()) << appended;
  }

  void ExpectReadsBack(const std::vector<JournalEntry>& expected) {
    absl::StatusOr<std::vector<JournalEntry>> read = ReadAll(journal());
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(*read, expected);
  }

 private:
  Backend backend_;
};

struct BackendName {
  template <typename Backend>
  static std::string GetName(int) {
    return Backend::kName;
  }
};

using Backends = testing::Types<RocksBackend, MemoryBackend>;
TYPED_TEST_SUITE(JournalContract, Backends, BackendName);

TYPED_TEST(JournalContract, EmptyJournalHasLastSequenceZeroAndReadsNothing) {
  EXPECT_EQ(this->journal().last_sequence(), 0u);
  this->ExpectReadsBack({});
}

TYPED_TEST(JournalContract, RoundTripsEntriesWithZeroOneAndManyEvents) {
  std::vector<std::string> many;
  for (int i = 0; i < 300; ++i) many.push_back("event " + std::to_string(i));
  const std::vector<JournalEntry> group = {MakeEntry(1, "no events"),
                                           MakeEntry(2, "one event", {"only"}),
                                           MakeEntry(3, "many events", many)};
  this->AppendOk(group);
  EXPECT_EQ(this->journal().last_sequence(), 3u);
  this->ExpectReadsBack(group);
}

TYPED_TEST(JournalContract, RoundTripsMalformedKindAndEmptyStrings) {
  const std::vector<JournalEntry> group = {
      MakeEntry(1, "{not json", {"rejected"}, JournalEntry::Kind::kMalformed),
      MakeEntry(2, "", {"", ""})};
  this->AppendOk(group);
  this->ExpectReadsBack(group);
}

TYPED_TEST(JournalContract, RoundTripsBinaryPayloadsByteForByte) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte.push_back(static_cast<char>(b));
  const std::string with_nuls("a\0b\0\0c", 6);
  std::string mebibyte(1 << 20, '\0');
  for (size_t i = 0; i < mebibyte.size(); ++i) mebibyte[i] = static_cast<char>(i * 131 % 251);
  const std::vector<JournalEntry> group = {MakeEntry(1, with_nuls, {with_nuls, every_byte}),
                                           MakeEntry(2, mebibyte, {mebibyte})};
  this->AppendOk(group);
  this->ExpectReadsBack(group);
}

TYPED_TEST(JournalContract, AppendsGroupsOfOneSixteenAndTwoHundredFiftySix) {
  std::vector<JournalEntry> all;
  uint64_t next = 1;
  for (const size_t size : {1u, 16u, 256u}) {
    const std::vector<JournalEntry> group = MakeGroup(next, size);
    this->AppendOk(group);
    all.insert(all.end(), group.begin(), group.end());
    next += size;
    EXPECT_EQ(this->journal().last_sequence(), next - 1);
  }
  this->ExpectReadsBack(all);
}

TYPED_TEST(JournalContract, EmptyGroupIsAcceptedAndChangesNothing) {
  this->AppendOk({});
  EXPECT_EQ(this->journal().last_sequence(), 0u);
  this->AppendOk(MakeGroup(1, 2));
  this->AppendOk({});
  EXPECT_EQ(this->journal().last_sequence(), 2u);
}

TYPED_TEST(JournalContract, ReadsOnlyTheRequestedRange) {
  const std::vector<JournalEntry> group = MakeGroup(1, 10);
  this->AppendOk(group);
  const auto sequences = [&](uint64_t from, uint64_t to) {
    std::vector<uint64_t> out;
    absl::StatusOr<std::vector<JournalEntry>> read = ReadAll(this->journal(), from, to);
    EXPECT_TRUE(read.ok()) << read.status();
    if (read.ok()) {
      for (const JournalEntry& entry : *read) out.push_back(entry.sequence);
    }
    return out;
  };
  using Sequences = std::vector<uint64_t>;
  EXPECT_EQ(sequences(3, 5), (Sequences{3, 4, 5}));
  EXPECT_EQ(sequences(7, 7), (Sequences{7}));
  EXPECT_EQ(sequences(0, 2), (Sequences{1, 2}));          // sequence 0 does not exist
  EXPECT_EQ(sequences(9, kNoLimit), (Sequences{9, 10}));  // `to` clamped to the tail
  EXPECT_EQ(sequences(5, 4), Sequences{});                // from > to
  EXPECT_EQ(sequences(11, 20), Sequences{});              // from beyond the end
  EXPECT_EQ(sequences(kNoLimit, kNoLimit), Sequences{});
  absl::StatusOr<std::vector<JournalEntry>> partial = ReadAll(this->journal(), 4, 6);
  ASSERT_TRUE(partial.ok()) << partial.status();
  EXPECT_EQ(*partial, std::vector<JournalEntry>(group.begin() + 3, group.begin() + 6));
}

TYPED_TEST(JournalContract, RejectsAGroupThatDoesNotStartAfterTheTail) {
  const absl::Status skipped = this->journal().Append(MakeGroup(2, 1));
  EXPECT_EQ(skipped.code(), absl::StatusCode::kInvalidArgument) << skipped;
  EXPECT_TRUE(Contains(skipped, "sequence 2")) << skipped;
  EXPECT_EQ(this->journal().last_sequence(), 0u);
  this->ExpectReadsBack({});
}

TYPED_TEST(JournalContract, RejectsANonDenseGroupAndWritesNothingOfIt) {
  this->AppendOk(MakeGroup(1, 3));
  const std::vector<JournalEntry> gap = {MakeEntry(4), MakeEntry(5), MakeEntry(7)};
  const absl::Status appended = this->journal().Append(gap);
  EXPECT_EQ(appended.code(), absl::StatusCode::kInvalidArgument) << appended;
  EXPECT_TRUE(Contains(appended, "sequence 7")) << appended;
  EXPECT_EQ(this->journal().last_sequence(), 3u);
  this->ExpectReadsBack(MakeGroup(1, 3));
}

TYPED_TEST(JournalContract, RejectsRepeatedSequences) {
  this->AppendOk(MakeGroup(1, 3));
  const absl::Status again = this->journal().Append(MakeGroup(3, 1));
  EXPECT_EQ(again.code(), absl::StatusCode::kInvalidArgument) << again;
  const std::vector<JournalEntry> twice = {MakeEntry(4), MakeEntry(4)};
  const absl::Status repeated = this->journal().Append(twice);
  EXPECT_EQ(repeated.code(), absl::StatusCode::kInvalidArgument) << repeated;
  EXPECT_TRUE(Contains(repeated, "sequence 4")) << repeated;
  EXPECT_EQ(this->journal().last_sequence(), 3u);
  this->ExpectReadsBack(MakeGroup(1, 3));
  this->AppendOk(MakeGroup(4, 1));  // the journal is still usable
}

TYPED_TEST(JournalContract, RejectsAnUnknownKind) {
  const std::vector<JournalEntry> group = {
      MakeEntry(1), MakeEntry(2, "x", {}, static_cast<JournalEntry::Kind>(9))};
  const absl::Status appended = this->journal().Append(group);
  EXPECT_EQ(appended.code(), absl::StatusCode::kInvalidArgument) << appended;
  EXPECT_TRUE(Contains(appended, "sequence 2")) << appended;
  EXPECT_EQ(this->journal().last_sequence(), 0u);
}

TYPED_TEST(JournalContract, VisitErrorStopsTheReadAndIsReturned) {
  this->AppendOk(MakeGroup(1, 10));
  std::vector<uint64_t> visited;
  const absl::Status read =
      this->journal().Read(1, kNoLimit, [&](const JournalEntry& entry) -> absl::Status {
        visited.push_back(entry.sequence);
        if (entry.sequence == 3) return absl::CancelledError("enough at 3");
        return absl::OkStatus();
      });
  EXPECT_EQ(read, absl::CancelledError("enough at 3"));
  EXPECT_EQ(visited, (std::vector<uint64_t>{1, 2, 3}));
}

TYPED_TEST(JournalContract, UnwrittenCursorReadsZero) {
  const absl::StatusOr<uint64_t> cursor = this->journal().ReadCursor("kafka");
  ASSERT_TRUE(cursor.ok()) << cursor.status();
  EXPECT_EQ(*cursor, 0u);
}

TYPED_TEST(JournalContract, CursorsAreNamedAndKeepTheirLastValue) {
  ASSERT_TRUE(this->journal().WriteCursor("kafka", 7).ok());
  ASSERT_TRUE(this->journal().WriteCursor("kafka", 9).ok());
  ASSERT_TRUE(this->journal().WriteCursor("other", 3).ok());
  EXPECT_EQ(*this->journal().ReadCursor("kafka"), 9u);
  EXPECT_EQ(*this->journal().ReadCursor("other"), 3u);
}

TYPED_TEST(JournalContract, EmptyStateReadsNothing) {
  EXPECT_EQ(ReadAllState(this->journal()).value(), State{});
}

TYPED_TEST(JournalContract, StateTravelsWithTheGroupAndReadsBackInKeyOrder) {
  const std::vector<StateChange> state = {testing_util::Put("b", "two"),
                                          testing_util::Put("a", std::string("\0one", 4)),
                                          testing_util::Put("c", "")};
  ASSERT_TRUE(this->journal().Append(MakeGroup(1, 2), state).ok());
  EXPECT_EQ(this->journal().last_sequence(), 2u);
  this->ExpectReadsBack(MakeGroup(1, 2));
  std::vector<std::string> keys;
  ASSERT_TRUE(this->journal()
                  .ReadState("",
                             [&](std::string_view key, std::string_view) {
                               keys.emplace_back(key);
                               return absl::OkStatus();
                             })
                  .ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(ReadAllState(this->journal()).value(),
            (State{{"a", std::string("\0one", 4)}, {"b", "two"}, {"c", ""}}));
}

TYPED_TEST(JournalContract, ReadStateVisitsOnlyThePrefix) {
  const std::vector<StateChange> state = {
      testing_util::Put("o1", "x"), testing_util::Put("o2", "y"), testing_util::Put("p1", "z"),
      testing_util::Put("n9", "w")};
  ASSERT_TRUE(this->journal().Append({}, state).ok());
  EXPECT_EQ(ReadAllState(this->journal(), "o").value(), (State{{"o1", "x"}, {"o2", "y"}}));
  EXPECT_EQ(ReadAllState(this->journal(), "o2").value(), (State{{"o2", "y"}}));
  EXPECT_EQ(ReadAllState(this->journal(), "q").value(), State{});
}

TYPED_TEST(JournalContract, StateChangesApplyInOrder) {
  ASSERT_TRUE(this->journal()
                  .Append({}, std::vector<StateChange>{testing_util::Put("a", "1"),
                                                       testing_util::Put("b", "1")})
                  .ok());
  const std::vector<StateChange> state = {testing_util::Put("a", "2"), testing_util::Delete("b"),
                                          testing_util::Put("b", "3"), testing_util::Delete("c"),
                                          testing_util::Put("d", "4"), testing_util::Delete("d")};
  ASSERT_TRUE(this->journal().Append(MakeGroup(1, 1), state).ok());
  EXPECT_EQ(ReadAllState(this->journal()).value(), (State{{"a", "2"}, {"b", "3"}}));
}

TYPED_TEST(JournalContract, ClearDeletesEveryStateRecordBeforeTheChangesAfterIt) {
  ASSERT_TRUE(this->journal()
                  .Append({}, std::vector<StateChange>{testing_util::Put("a", "1"),
                                                       testing_util::Put("\xfe", "1")})
                  .ok());
  const std::vector<StateChange> state = {testing_util::Clear(), testing_util::Put("z", "2")};
  ASSERT_TRUE(this->journal().Append({}, state).ok());
  EXPECT_EQ(ReadAllState(this->journal()).value(), (State{{"z", "2"}}));
}

TYPED_TEST(JournalContract, AStateOnlyAppendLeavesTheEntriesAlone) {
  this->AppendOk(MakeGroup(1, 3));
  ASSERT_TRUE(
      this->journal().Append({}, std::vector<StateChange>{testing_util::Put("s", "x")}).ok());
  EXPECT_EQ(this->journal().last_sequence(), 3u);
  this->ExpectReadsBack(MakeGroup(1, 3));
  this->AppendOk(MakeGroup(4, 1));
}

TYPED_TEST(JournalContract, RejectsABadStateKeyAndWritesNothingOfTheGroup) {
  for (const std::string& bad : {std::string(), std::string("\xff", 1), std::string("\xffx", 2)}) {
    const std::vector<StateChange> state = {testing_util::Put("a", "1"),
                                            testing_util::Put(bad, "2")};
    const absl::Status appended = this->journal().Append(MakeGroup(1, 2), state);
    EXPECT_EQ(appended.code(), absl::StatusCode::kInvalidArgument) << appended;
    EXPECT_TRUE(Contains(appended, "state change 1")) << appended;
  }
  const absl::Status deleted =
      this->journal().Append(MakeGroup(1, 1), std::vector<StateChange>{testing_util::Delete("")});
  EXPECT_EQ(deleted.code(), absl::StatusCode::kInvalidArgument) << deleted;
  EXPECT_EQ(this->journal().last_sequence(), 0u);
  this->ExpectReadsBack({});
  EXPECT_EQ(ReadAllState(this->journal()).value(), State{});
}

TYPED_TEST(JournalContract, RejectsAnUnknownStateOp) {
  StateChange odd = testing_util::Put("a", "1");
  odd.op = static_cast<StateChange::Op>(7);
  const absl::Status appended = this->journal().Append({}, std::vector<StateChange>{odd});
  EXPECT_EQ(appended.code(), absl::StatusCode::kInvalidArgument) << appended;
  EXPECT_EQ(ReadAllState(this->journal()).value(), State{});
}

TYPED_TEST(JournalContract, AnInvalidGroupWritesNoneOfItsState) {
  const absl::Status appended = this->journal().Append(
      MakeGroup(2, 1), std::vector<StateChange>{testing_util::Put("a", "1")});
  EXPECT_EQ(appended.code(), absl::StatusCode::kInvalidArgument) << appended;
  EXPECT_EQ(ReadAllState(this->journal()).value(), State{});
}

TYPED_TEST(JournalContract, VisitErrorStopsReadStateAndIsReturned) {
  ASSERT_TRUE(this->journal()
                  .Append({}, std::vector<StateChange>{testing_util::Put("a", "1"),
                                                       testing_util::Put("b", "2"),
                                                       testing_util::Put("c", "3")})
                  .ok());
  std::vector<std::string> visited;
  const absl::Status read =
      this->journal().ReadState("", [&](std::string_view key, std::string_view) -> absl::Status {
        visited.emplace_back(key);
        if (key == "b") return absl::CancelledError("enough at b");
        return absl::OkStatus();
      });
  EXPECT_EQ(read, absl::CancelledError("enough at b"));
  EXPECT_EQ(visited, (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace market::storage
