// MemoryJournal fault injection: each injected fault fails exactly the next
// Append, which then leaves nothing behind.
#include <gtest/gtest.h>

#include "storage/journal.h"
#include "storage/tests/journal_test_util.h"

namespace market::storage {
namespace {

using testing_util::MakeGroup;
using testing_util::ReadAll;
using testing_util::ReadAllState;

TEST(MemoryJournal, FailNextWriteFailsExactlyTheNextAppend) {
  MemoryJournal journal;
  ASSERT_TRUE(journal.Append(MakeGroup(1, 2)).ok());
  journal.FailNextWrite(absl::UnavailableError("disk gone"));
  EXPECT_EQ(journal.Append(MakeGroup(3, 2)), absl::UnavailableError("disk gone"));
  EXPECT_EQ(journal.last_sequence(), 2u);
  EXPECT_EQ(ReadAll(journal).value(), MakeGroup(1, 2));
  EXPECT_TRUE(journal.Append(MakeGroup(3, 2)).ok());
  EXPECT_TRUE(journal.Append(MakeGroup(5, 1)).ok());
  EXPECT_EQ(journal.last_sequence(), 5u);
}

TEST(MemoryJournal, FailNextSyncFailsExactlyTheNextAppendAndKeepsNothing) {
  MemoryJournal journal;
  journal.FailNextSync(absl::InternalError("fsync failed"));
  EXPECT_EQ(journal.Append(MakeGroup(1, 3)), absl::InternalError("fsync failed"));
  EXPECT_EQ(journal.last_sequence(), 0u);
  EXPECT_TRUE(ReadAll(journal).value().empty());
  EXPECT_TRUE(journal.Append(MakeGroup(1, 3)).ok());
  EXPECT_TRUE(journal.Append(MakeGroup(4, 1)).ok());
  EXPECT_EQ(ReadAll(journal).value(), MakeGroup(1, 4));
}

TEST(MemoryJournal, WriteAndSyncFaultsArmedTogetherFailOnlyOneAppend) {
  MemoryJournal journal;
  journal.FailNextWrite(absl::UnavailableError("write"));
  journal.FailNextSync(absl::InternalError("sync"));
  EXPECT_EQ(journal.Append(MakeGroup(1, 1)), absl::UnavailableError("write"));
  EXPECT_TRUE(journal.Append(MakeGroup(1, 1)).ok());
}

TEST(MemoryJournal, SyncFaultStillReportsAnInvalidGroupAsInvalid) {
  MemoryJournal journal;
  journal.FailNextSync(absl::InternalError("sync"));
  EXPECT_EQ(journal.Append(MakeGroup(2, 1)).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(journal.Append(MakeGroup(1, 1)).ok());  // the fault went with that Append
}

TEST(MemoryJournal, FailedWriteOrSyncLeavesTheStateUntouched) {
  MemoryJournal journal;
  ASSERT_TRUE(
      journal.Append(MakeGroup(1, 1), std::vector<StateChange>{testing_util::Put("a", "1")}).ok());
  const auto before = ReadAllState(journal).value();
  const std::vector<StateChange> state = {testing_util::Clear(), testing_util::Put("a", "2"),
                                          testing_util::Put("b", "3")};
  journal.FailNextWrite(absl::UnavailableError("write"));
  EXPECT_FALSE(journal.Append(MakeGroup(2, 1), state).ok());
  EXPECT_EQ(ReadAllState(journal).value(), before);
  journal.FailNextSync(absl::InternalError("sync"));
  EXPECT_FALSE(journal.Append(MakeGroup(2, 1), state).ok());
  EXPECT_EQ(ReadAllState(journal).value(), before);
  journal.FailNextSync(absl::InternalError("sync"));
  EXPECT_FALSE(journal.Append({}, state).ok()) << "a state-only write fails the same way";
  EXPECT_EQ(ReadAllState(journal).value(), before);
  EXPECT_EQ(journal.last_sequence(), 1u);
}

}  // namespace
}  // namespace market::storage
