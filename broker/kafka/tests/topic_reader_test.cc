// ReadTopic over records written by hand into the embedded cluster: repeats,
// interleaved partitions, holes, disagreeing headers, foreign bytes.
#include "broker/kafka/topic_reader.h"

#include <gtest/gtest.h>

#include "absl/time/clock.h"
#include "broker/kafka/embedded_cluster.h"
#include "broker/kafka/tests/kafka_test_util.h"
#include "broker/kafka/topic_contract.h"
#include "codec/json_lines.h"

namespace market::kafka {
namespace {

using testing::EventId;
using testing::MakeEvent;
using testing::RawRecord;
using testing::RecordFor;

constexpr char kTopic[] = "events";

class TopicReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<EmbeddedKafka>> started = EmbeddedKafka::Start(1);
    ASSERT_TRUE(started.ok()) << started.status();
    kafka_ = *std::move(started);
    ASSERT_TRUE(kafka_->CreateTopic(kTopic, 3, 1).ok());
  }

  void Write(const std::vector<RawRecord>& records) {
    ASSERT_TRUE(testing::ProduceRecords(kafka_->bootstrap_servers(), kTopic, records).ok());
  }

  absl::Status Read(std::vector<EventId>* visited, ReadTopicStats* stats,
                    ReadTopicOptions options = {}) {
    options.timeout_ms = 10'000;
    return ReadTopic(
        kafka_->bootstrap_servers(), kTopic,
        [&](const marketplace::v1::Event& event) {
          visited->emplace_back(event.sequence(), event.index());
          return absl::OkStatus();
        },
        stats, options);
  }

  std::unique_ptr<EmbeddedKafka> kafka_;
};

TEST_F(TopicReaderTest, MergesPartitionsInSequenceOrderAndDropsRepeats) {
  // Sequence 1 has two events, 2 has one, 3 has three; spread and repeated.
  Write({RecordFor(MakeEvent(3, 1, 1), 2, 3), RecordFor(MakeEvent(1, 0, 1), 0, 2),
         RecordFor(MakeEvent(2, 0, 1), 1, 1), RecordFor(MakeEvent(3, 0, 1), 1, 3),
         RecordFor(MakeEvent(1, 1, 1), 0, 2), RecordFor(MakeEvent(1, 0, 1), 2, 2),
         RecordFor(MakeEvent(3, 2, 1), 0, 3), RecordFor(MakeEvent(3, 1, 1), 2, 3)});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  ASSERT_TRUE(Read(&visited, &stats).ok());
  EXPECT_EQ(visited, (std::vector<EventId>{{1, 0}, {1, 1}, {2, 0}, {3, 0}, {3, 1}, {3, 2}}));
  EXPECT_EQ(stats.records, 8u);
  EXPECT_EQ(stats.duplicates, 2u);
  EXPECT_EQ(stats.events, 6u);
  EXPECT_EQ(stats.partitions, 3u);
  EXPECT_EQ(stats.last_sequence, 3u);
  EXPECT_TRUE(stats.missing_sequences.empty());
}

TEST_F(TopicReaderTest, AnEmptyTopicHasNoEvents) {
  std::vector<EventId> visited;
  ReadTopicStats stats;
  ASSERT_TRUE(Read(&visited, &stats).ok());
  EXPECT_TRUE(visited.empty());
  EXPECT_EQ(stats.last_sequence, 0u);
}

TEST_F(TopicReaderTest, ASequenceWithoutEventsFailsByDefaultNamingIt) {
  Write({RecordFor(MakeEvent(1, 0, 1), 0, 1), RecordFor(MakeEvent(2, 0, 1), 0, 1),
         RecordFor(MakeEvent(5, 0, 1), 1, 1), RecordFor(MakeEvent(7, 0, 1), 2, 1)});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  const absl::Status read = Read(&visited, &stats);
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_NE(read.message().find("sequence 3 has no event"), std::string::npos) << read;
  EXPECT_TRUE(visited.empty());  // checked before anything is visited
  EXPECT_EQ(stats.missing_sequences, (std::vector<SequenceRange>{{3, 4}, {6, 6}}));
}

TEST_F(TopicReaderTest, GapsCanBeReportedForTheCallerToJudge) {
  Write({RecordFor(MakeEvent(2, 0, 1), 0, 1), RecordFor(MakeEvent(4, 0, 1), 0, 1)});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  ReadTopicOptions options;
  options.gaps = ReadTopicOptions::Gaps::kReport;
  ASSERT_TRUE(Read(&visited, &stats, options).ok());
  EXPECT_EQ(visited, (std::vector<EventId>{{2, 0}, {4, 0}}));
  EXPECT_EQ(stats.missing_sequences, (std::vector<SequenceRange>{{1, 1}, {3, 3}}));
}

TEST_F(TopicReaderTest, AHoleInsideASequenceIsAlwaysDataLoss) {
  // event_count says 3; index 1 is missing.
  Write({RecordFor(MakeEvent(1, 0, 1), 0, 3), RecordFor(MakeEvent(1, 2, 1), 1, 3)});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  ReadTopicOptions options;
  options.gaps = ReadTopicOptions::Gaps::kReport;
  const absl::Status read = Read(&visited, &stats, options);
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_NE(read.message().find("sequence 1 is missing event index 1"), std::string::npos) << read;
}

TEST_F(TopicReaderTest, AMissingLastEventIsFoundThroughEventCount) {
  Write({RecordFor(MakeEvent(1, 0, 1), 0, 2)});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  const absl::Status read = Read(&visited, &stats);
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_NE(read.message().find("missing index 1"), std::string::npos) << read;
}

TEST_F(TopicReaderTest, HeadersThatContradictTheEventAreDataLoss) {
  RawRecord record = RecordFor(MakeEvent(1, 0, 1), 0, 1);
  record.headers[0].second = "2";  // sequence header
  Write({record});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  const absl::Status read = Read(&visited, &stats);
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_NE(read.message().find("header sequence is 2"), std::string::npos) << read;
}

TEST_F(TopicReaderTest, ARepeatThatDiffersFromTheFirstCopyIsDataLoss) {
  marketplace::v1::Event changed = MakeEvent(1, 0, 1);
  changed.set_principal("someone-else");
  Write({RecordFor(MakeEvent(1, 0, 1), 0, 1), RecordFor(changed, 1, 1)});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  const absl::Status read = Read(&visited, &stats);
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_NE(read.message().find("differs from its first copy"), std::string::npos) << read;
}

TEST_F(TopicReaderTest, ForeignBytesAreDataLossNamingTheRecord) {
  Write(
      {RawRecord{.partition = 2, .key = "k", .value = "\xff\xff\xff not an event", .headers = {}}});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  const absl::Status read = Read(&visited, &stats);
  EXPECT_EQ(read.code(), absl::StatusCode::kDataLoss) << read;
  EXPECT_NE(read.message().find("partition 2 offset 0"), std::string::npos) << read;
}

TEST_F(TopicReaderTest, JsonRecordsAreReadByTheirContentType) {
  const marketplace::v1::Event event = MakeEvent(1, 0, 1);
  RawRecord record = RecordFor(event, 0, 1);
  record.value = codec::ToJson(event);
  record.headers.back().second = std::string(kContentTypeJson);
  Write({record, RecordFor(MakeEvent(2, 0, 1), 1, 1)});
  std::vector<EventId> visited;
  ReadTopicStats stats;
  ASSERT_TRUE(Read(&visited, &stats).ok());
  EXPECT_EQ(visited, (std::vector<EventId>{{1, 0}, {2, 0}}));
}

TEST_F(TopicReaderTest, TheVisitorsErrorStopsTheRead) {
  Write({RecordFor(MakeEvent(1, 0, 1), 0, 1), RecordFor(MakeEvent(2, 0, 1), 0, 1)});
  ReadTopicStats stats;
  int calls = 0;
  const absl::Status read = ReadTopic(
      kafka_->bootstrap_servers(), kTopic,
      [&](const marketplace::v1::Event&) {
        ++calls;
        return absl::AbortedError("enough");
      },
      &stats);
  EXPECT_EQ(read.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(calls, 1);
}

TEST_F(TopicReaderTest, AnUnknownTopicIsNotFound) {
  ReadTopicStats stats;
  ReadTopicOptions options;
  options.timeout_ms = 10'000;
  const absl::Status read = ReadTopic(
      kafka_->bootstrap_servers(), "no-such-topic",
      [](const marketplace::v1::Event&) { return absl::OkStatus(); }, &stats, options);
  EXPECT_EQ(read.code(), absl::StatusCode::kNotFound) << read;
}

TEST_F(TopicReaderTest, AnUnreachableClusterIsUnavailableAfterTheTimeout) {
  ReadTopicStats stats;
  ReadTopicOptions options;
  options.timeout_ms = 1'000;
  const absl::Time start = absl::Now();
  const absl::Status read = ReadTopic(
      "127.0.0.1:1", kTopic, [](const marketplace::v1::Event&) { return absl::OkStatus(); }, &stats,
      options);
  EXPECT_EQ(read.code(), absl::StatusCode::kUnavailable) << read;
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(900));  // it kept trying
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
}

}  // namespace
}  // namespace market::kafka
