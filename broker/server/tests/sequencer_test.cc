// The Sequencer over an in-memory journal.
#include "broker/server/sequencer.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <thread>
#include <vector>

#include "codec/json_lines.h"
#include "storage/journal.h"
#include "storage/journaled_market.h"

namespace market::server {
namespace {

namespace pb = marketplace::v1;

pb::Command Role(const std::string& code) {
  pb::Command command;
  command.set_principal("admin");
  command.mutable_define_role()->set_code(code);
  command.mutable_define_role()->set_name(code);
  return command;
}

class SequencerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto journal = std::make_unique<storage::MemoryJournal>();
    journal_ = journal.get();
    absl::StatusOr<std::unique_ptr<storage::JournaledMarket>> market =
        storage::JournaledMarket::Open(std::move(journal));
    ASSERT_TRUE(market.ok()) << market.status();
    market_ = *std::move(market);
  }

  absl::StatusOr<SequencedCommand> Run(Sequencer& sequencer, pb::Command command,
                                       Sequencer::Deadline deadline = Sequencer::Deadline::max()) {
    std::promise<absl::StatusOr<SequencedCommand>> promise;
    const absl::Status queued = sequencer.Submit(
        std::move(command), deadline,
        [&](absl::StatusOr<SequencedCommand> result) { promise.set_value(std::move(result)); });
    if (!queued.ok()) return queued;
    return promise.get_future().get();
  }

  storage::MemoryJournal* journal_ = nullptr;
  std::unique_ptr<storage::JournaledMarket> market_;
};

class RecordingListener final : public GroupListener {
 public:
  void OnGroupDurable(uint64_t last_sequence, std::span<const pb::Event> events) override {
    last_sequence_ = last_sequence;
    events_ += events.size();
  }
  std::atomic<uint64_t> last_sequence_{0};
  std::atomic<size_t> events_{0};
};

TEST_F(SequencerTest, AnswersWithSequenceAndEventsOnceJournaled) {
  Sequencer sequencer(*market_, {});
  sequencer.Start();
  absl::StatusOr<SequencedCommand> result = Run(sequencer, Role("CRA"));
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->sequence, 1u);
  ASSERT_EQ(result->events.size(), 1u);
  EXPECT_TRUE(result->events[0].has_role_defined());
  EXPECT_EQ(journal_->last_sequence(), 1u);
}

TEST_F(SequencerTest, StampsNonDecreasingTimestampsFromItsClock) {
  std::atomic<uint64_t> now{1000};
  Sequencer sequencer(*market_, {.clock = [&] { return now.load(); }});
  sequencer.Start();
  absl::StatusOr<SequencedCommand> first = Run(sequencer, Role("A"));
  now = 500;  // the wall clock stepped back
  absl::StatusOr<SequencedCommand> second = Run(sequencer, Role("B"));
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->events[0].timestamp_unix_nanos(), 1000u);
  EXPECT_EQ(second->events[0].timestamp_unix_nanos(), 1000u);
}

TEST_F(SequencerTest, SkipsACommandWhoseDeadlinePassedBeforeSequencing) {
  Sequencer sequencer(*market_, {});
  sequencer.Start();
  absl::StatusOr<SequencedCommand> result =
      Run(sequencer, Role("CRA"), std::chrono::steady_clock::now() - std::chrono::seconds(1));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(journal_->last_sequence(), 0u);
}

TEST_F(SequencerTest, AFullQueueAnswersResourceExhausted) {
  Sequencer sequencer(*market_, {.queue_capacity = 2});
  // Not started: nothing drains the queue.
  auto ignore = [](absl::StatusOr<SequencedCommand>) {};
  EXPECT_TRUE(sequencer.Submit(Role("A"), Sequencer::Deadline::max(), ignore).ok());
  EXPECT_TRUE(sequencer.Submit(Role("B"), Sequencer::Deadline::max(), ignore).ok());
  EXPECT_EQ(sequencer.Submit(Role("C"), Sequencer::Deadline::max(), ignore).code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(SequencerTest, AFailedJournalWriteAnswersTheErrorAndAdvancesNothing) {
  RecordingListener listener;
  Sequencer sequencer(*market_, {});
  sequencer.AddListener(&listener);
  sequencer.Start();
  journal_->FailNextWrite(absl::UnavailableError("disk gone"));
  absl::StatusOr<SequencedCommand> result = Run(sequencer, Role("CRA"));
  EXPECT_EQ(result.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(journal_->last_sequence(), 0u);
  EXPECT_EQ(sequencer.last_sequence(), 0u);
  EXPECT_EQ(listener.events_, 0u);
  EXPECT_FALSE(sequencer.health().ok());
}

TEST_F(SequencerTest, ListenersSeeEveryDurableGroup) {
  RecordingListener listener;
  Sequencer sequencer(*market_, {});
  sequencer.AddListener(&listener);
  sequencer.Start();
  for (const char* code : {"A", "B", "C"}) ASSERT_TRUE(Run(sequencer, Role(code)).ok());
  sequencer.Stop();  // callers are answered before listeners run: wait for the thread
  EXPECT_EQ(listener.last_sequence_, 3u);
  EXPECT_EQ(listener.events_, 3u);
}

TEST_F(SequencerTest, ADuplicateClientRefReportsTheOriginalSequence) {
  Sequencer sequencer(*market_, {});
  sequencer.Start();
  const std::vector<std::string> setup = {
      R"({"principal": "admin", "defineLocation": {"kind": "REGION", "code": "LATAM"}})",
      R"({"principal": "admin", "defineLocation": {"kind": "COUNTRY", "code": "MX", "parent": "LATAM"}})",
      R"({"principal": "admin", "defineRole": {"code": "CTA", "name": "CTA"}})",
      R"({"principal": "admin", "upsertParticipant": {"id": "V1", "kind": "VENDOR"}})",
  };
  for (const std::string& line : setup)
    ASSERT_TRUE(Run(sequencer, *codec::ParseCommandJson(line)).ok());
  const pb::Command offer = *codec::ParseCommandJson(
      R"({"principal": "vendor:V1", "publishOffer": {"clientRef": "a", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "500", "rate": "4000", "availableFrom": "2026-01-01"}})");
  absl::StatusOr<SequencedCommand> first = Run(sequencer, offer);
  absl::StatusOr<SequencedCommand> retry = Run(sequencer, offer);
  ASSERT_TRUE(first.ok() && retry.ok());
  EXPECT_FALSE(first->duplicate);
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->original_sequence, first->sequence);
  EXPECT_EQ(retry->sequence, first->sequence + 1);
}

TEST_F(SequencerTest, StopExecutesWhatIsQueuedAndThenRefuses) {
  Sequencer sequencer(*market_, {});
  std::atomic<int> done{0};
  for (const char* code : {"A", "B"}) {
    ASSERT_TRUE(sequencer
                    .Submit(Role(code), Sequencer::Deadline::max(),
                            [&](absl::StatusOr<SequencedCommand> r) { done += r.ok() ? 1 : 0; })
                    .ok());
  }
  sequencer.Start();
  sequencer.Stop();
  EXPECT_EQ(done, 2);
  EXPECT_EQ(sequencer.Submit(Role("C"), Sequencer::Deadline::max(), [](auto) {}).code(),
            absl::StatusCode::kUnavailable);
}

TEST_F(SequencerTest, ReadsRunOnTheEngineThreadAndSeeJournaledState) {
  Sequencer sequencer(*market_, {});
  sequencer.Start();
  ASSERT_TRUE(Run(sequencer, Role("A")).ok());
  uint64_t seen = 0;
  ASSERT_TRUE(
      sequencer.Read([&](const storage::JournaledMarket& market) { seen = market.last_sequence(); })
          .ok());
  EXPECT_EQ(seen, 1u);
}

// The engine thread's own arena is faulted in before Start returns: what
// the engine then allocates takes no page faults.
TEST_F(SequencerTest, StartMakesTheHeapReserveOnTheEngineThread) {
  Sequencer sequencer(*market_, {.reserve_heap_bytes = size_t{96} << 20});
  sequencer.Start();
  if (sequencer.heap_reserve().code() == absl::StatusCode::kUnimplemented) {
    GTEST_SKIP() << sequencer.heap_reserve();
  }
  ASSERT_TRUE(sequencer.heap_reserve().ok()) << sequencer.heap_reserve();
  long faults = -1;
  ASSERT_TRUE(sequencer
                  .Read([&](const storage::JournaledMarket&) {
                    rusage before{};
                    getrusage(RUSAGE_THREAD, &before);
                    std::vector<volatile char*> blocks;  // 64 MB, 1 MB at a time
                    for (int i = 0; i < 64; ++i) {
                      blocks.push_back(static_cast<volatile char*>(std::malloc(size_t{1} << 20)));
                      for (size_t at = 0; at < (size_t{1} << 20); at += 4096) blocks.back()[at] = 1;
                    }
                    rusage after{};
                    getrusage(RUSAGE_THREAD, &after);
                    for (volatile char* b : blocks) std::free(const_cast<char*>(b));
                    faults = after.ru_minflt - before.ru_minflt;
                  })
                  .ok());
  EXPECT_GE(faults, 0);
  EXPECT_LT(faults, 64);  // 64 MB on 4 KB pages would be 16,384
}

}  // namespace
}  // namespace market::server
