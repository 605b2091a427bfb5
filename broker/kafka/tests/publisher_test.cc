// The publisher against the embedded mock cluster, read back with a plain
// librdkafka consumer, the topic reader and kcat.
#include "broker/kafka/publisher.h"

#include <gtest/gtest.h>
#include <stdio.h>

#include <array>
#include <cstdlib>
#include <map>
#include <set>
#include <string>

#include "absl/time/clock.h"
#include "broker/kafka/embedded_cluster.h"
#include "broker/kafka/tests/kafka_test_util.h"
#include "broker/kafka/topic_contract.h"
#include "broker/kafka/topic_reader.h"
#include "codec/json_lines.h"

namespace market::kafka {
namespace {

using testing::AppendEntries;
using testing::ConsumeAll;
using testing::Dedupe;
using testing::JournalEvents;
using testing::Record;
using testing::WaitFor;

constexpr char kTopic[] = "marketplace.events";

class PublisherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<EmbeddedKafka>> started = EmbeddedKafka::Start(3);
    ASSERT_TRUE(started.ok()) << started.status();
    kafka_ = *std::move(started);
    ASSERT_TRUE(kafka_->CreateTopic(kTopic, 6, 3).ok());
  }

  PublisherOptions Options() const {
    PublisherOptions options;
    options.brokers = kafka_->bootstrap_servers();
    options.topic = kTopic;
    return options;
  }

  // Waits until the publisher's cursor reaches the journal's end.
  static bool CaughtUp(const Publisher& publisher, const storage::Journal& journal,
                       absl::Duration timeout = absl::Seconds(15)) {
    return WaitFor([&] { return publisher.stats().published_sequence == journal.last_sequence(); },
                   timeout);
  }

  std::unique_ptr<EmbeddedKafka> kafka_;
};

TEST_F(PublisherTest, EmbeddedClusterListensOnLoopbackOnly) {
  const std::string& servers = kafka_->bootstrap_servers();
  ASSERT_FALSE(servers.empty());
  size_t start = 0;
  while (start < servers.size()) {
    const size_t comma = servers.find(',', start);
    const std::string server = servers.substr(start, comma - start);
    EXPECT_TRUE(server.starts_with("127.0.0.1:")) << server;
    start = comma == std::string::npos ? servers.size() : comma + 1;
  }
}

TEST_F(PublisherTest, EveryJournaledEventArrivesExactlyOnceInOrder) {
  storage::MemoryJournal journal;
  ASSERT_TRUE(AppendEntries(journal, 1000).ok());  // before Start: the backlog
  Publisher publisher(journal, Options());
  ASSERT_TRUE(publisher.Start().ok());
  for (int round = 0; round < 20; ++round) {  // while running: live appends
    ASSERT_TRUE(AppendEntries(journal, 50).ok());
    publisher.Notify();
  }
  ASSERT_TRUE(CaughtUp(publisher, journal));
  const Publisher::Stats stats = publisher.stats();
  const std::vector<testing::EventId> expected = JournalEvents(journal);
  EXPECT_EQ(stats.events_delivered, expected.size());
  EXPECT_EQ(stats.delivery_errors, 0u);
  EXPECT_EQ(stats.events_in_flight, 0u);
  EXPECT_GT(stats.lag_us_p99, 0);
  EXPECT_EQ(journal.ReadCursor("kafka").value(), journal.last_sequence());
  EXPECT_TRUE(WaitFor([&] { return publisher.stats().connected; }, absl::Seconds(3)));

  absl::StatusOr<std::vector<Record>> records = ConsumeAll(kafka_->bootstrap_servers(), kTopic);
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_EQ(records->size(), expected.size());  // no repeats without faults
  EXPECT_EQ(Dedupe(*records), expected);
  EXPECT_TRUE(testing::StrictlyOrderedPerPartition(*records));

  // Each key stays in one partition; the value is the journaled bytes.
  std::map<testing::EventId, std::string> journaled;
  ASSERT_TRUE(journal
                  .Read(1, journal.last_sequence(),
                        [&](const storage::JournalEntry& entry) {
                          for (uint32_t i = 0; i < entry.events.size(); ++i) {
                            journaled[{entry.sequence, i}] = entry.events[i];
                          }
                          return absl::OkStatus();
                        })
                  .ok());
  std::map<std::string, int32_t> partition_of_key;
  std::set<int32_t> partitions_used;
  for (const Record& record : *records) {
    const auto [it, inserted] = partition_of_key.emplace(record.key, record.partition);
    EXPECT_EQ(it->second, record.partition) << "key " << record.key << " in two partitions";
    partitions_used.insert(record.partition);
    EXPECT_EQ(record.value, journaled[record.id()]);
    marketplace::v1::Event event;
    ASSERT_TRUE(event.ParseFromString(record.value));
    EXPECT_EQ(record.key, PartitionKey(event));
    EXPECT_EQ(record.headers.at("event_type"), EventType(event));
    EXPECT_EQ(record.headers.at("content-type"), kContentTypeProtobuf);
    EXPECT_EQ(record.headers.at("event_count"), std::to_string(record.id().first % 4));
    EXPECT_EQ(record.timestamp_ms, static_cast<int64_t>(event.timestamp_unix_nanos() / 1'000'000));
  }
  EXPECT_GT(partitions_used.size(), 1u);
  publisher.Stop();
}

TEST_F(PublisherTest, JsonFormatCarriesCanonicalJson) {
  storage::MemoryJournal journal;
  ASSERT_TRUE(AppendEntries(journal, 200).ok());
  PublisherOptions options = Options();
  options.format = PublisherOptions::Format::kJson;
  Publisher publisher(journal, options);
  ASSERT_TRUE(publisher.Start().ok());
  ASSERT_TRUE(CaughtUp(publisher, journal));

  absl::StatusOr<std::vector<Record>> records = ConsumeAll(kafka_->bootstrap_servers(), kTopic);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(Dedupe(*records), JournalEvents(journal));
  for (const Record& record : *records) {
    EXPECT_EQ(record.headers.at("content-type"), kContentTypeJson);
    absl::StatusOr<marketplace::v1::Event> event = ParseEventValue(record.value, kContentTypeJson);
    ASSERT_TRUE(event.ok()) << event.status() << ": " << record.value;
    EXPECT_EQ(record.value, codec::ToJson(*event));
    EXPECT_NE(record.value.find("\"sequence\":\"" + std::to_string(event->sequence()) + "\""),
              std::string::npos)
        << record.value;  // 64-bit integers quoted, lowerCamelCase names
  }
  // The topic reader takes JSON records too.
  ReadTopicStats stats;
  ReadTopicOptions read_options;
  read_options.gaps = ReadTopicOptions::Gaps::kReport;
  uint64_t visited = 0;
  ASSERT_TRUE(ReadTopic(
                  kafka_->bootstrap_servers(), kTopic,
                  [&](const marketplace::v1::Event&) {
                    ++visited;
                    return absl::OkStatus();
                  },
                  &stats, read_options)
                  .ok());
  EXPECT_EQ(visited, JournalEvents(journal).size());
}

TEST_F(PublisherTest, KcatReadsTheTopicAsAnOutsideClient) {
  if (std::system("command -v kcat >/dev/null 2>&1") != 0) GTEST_SKIP() << "kcat not installed";
  storage::MemoryJournal journal;
  ASSERT_TRUE(AppendEntries(journal, 300).ok());
  Publisher publisher(journal, Options());
  ASSERT_TRUE(publisher.Start().ok());
  ASSERT_TRUE(CaughtUp(publisher, journal));

  const std::string command = "kcat -b " + kafka_->bootstrap_servers() + " -t " + kTopic +
                              " -C -e -o beginning -q -f '%p %k %h\\n' 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  std::array<char, 4096> buffer{};
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  ASSERT_EQ(pclose(pipe), 0) << output;

  std::set<testing::EventId> seen;
  size_t lines = 0;
  size_t start = 0;
  while (start < output.size()) {
    const size_t end = output.find('\n', start);
    const std::string line = output.substr(start, end - start);
    start = end == std::string::npos ? output.size() : end + 1;
    if (line.empty()) continue;
    ++lines;
    // "<partition> <key> sequence=S,index=I,event_count=N,event_type=T,content-type=..."
    const size_t s = line.find("sequence=");
    const size_t i = line.find(",index=");
    ASSERT_NE(s, std::string::npos) << line;
    ASSERT_NE(i, std::string::npos) << line;
    EXPECT_NE(line.find("event_type="), std::string::npos) << line;
    seen.emplace(std::stoull(line.substr(s + 9, i - s - 9)),
                 static_cast<uint32_t>(std::stoul(line.substr(i + 7))));
  }
  const std::vector<testing::EventId> expected = JournalEvents(journal);
  EXPECT_EQ(lines, expected.size());
  EXPECT_EQ(std::vector<testing::EventId>(seen.begin(), seen.end()), expected);
}

TEST_F(PublisherTest, RestartResumesFromTheCursorWithoutGap) {
  testing::ScopedTempDir dir;
  const std::string path = dir.Sub("journal");
  storage::RocksJournalOptions journal_options;
  journal_options.sync = storage::SyncPolicy::kNever;
  uint64_t published_before_restart = 0;
  {
    absl::StatusOr<std::unique_ptr<storage::Journal>> journal =
        storage::OpenRocksJournal(path, journal_options);
    ASSERT_TRUE(journal.ok()) << journal.status();
    ASSERT_TRUE(AppendEntries(**journal, 400).ok());
    Publisher publisher(**journal, Options());
    ASSERT_TRUE(publisher.Start().ok());
    ASSERT_TRUE(CaughtUp(publisher, **journal));
    publisher.Stop();
    published_before_restart = (*journal)->ReadCursor("kafka").value();
    EXPECT_EQ(published_before_restart, 400u);
    // The server went on appending while Kafka publishing was down.
    ASSERT_TRUE(AppendEntries(**journal, 300).ok());
  }
  {
    absl::StatusOr<std::unique_ptr<storage::Journal>> journal =
        storage::OpenRocksJournal(path, journal_options);
    ASSERT_TRUE(journal.ok()) << journal.status();
    EXPECT_EQ((*journal)->ReadCursor("kafka").value(), published_before_restart);
    Publisher publisher(**journal, Options());
    ASSERT_TRUE(publisher.Start().ok());
    ASSERT_TRUE(CaughtUp(publisher, **journal));
    // Only what followed the cursor was sent: no repeats after a clean stop.
    size_t after_cursor = 0;
    for (const testing::EventId& id : JournalEvents(**journal)) {
      after_cursor += id.first > published_before_restart ? 1 : 0;
    }
    EXPECT_EQ(publisher.stats().events_delivered, after_cursor);
    publisher.Stop();

    absl::StatusOr<std::vector<Record>> records = ConsumeAll(kafka_->bootstrap_servers(), kTopic);
    ASSERT_TRUE(records.ok()) << records.status();
    EXPECT_EQ(Dedupe(*records), JournalEvents(**journal));
    EXPECT_TRUE(testing::StrictlyOrderedPerPartition(*records));
  }
}

TEST_F(PublisherTest, CrashBeforeTheCursorWriteRepeatsButLosesNothing) {
  storage::MemoryJournal journal;
  ASSERT_TRUE(AppendEntries(journal, 300).ok());
  {
    Publisher publisher(journal, Options());
    ASSERT_TRUE(publisher.Start().ok());
    ASSERT_TRUE(CaughtUp(publisher, journal));
  }
  // As if the process died before the latest cursor moves reached disk.
  ASSERT_TRUE(journal.WriteCursor("kafka", 120).ok());
  ASSERT_TRUE(AppendEntries(journal, 100).ok());
  Publisher publisher(journal, Options());
  ASSERT_TRUE(publisher.Start().ok());
  ASSERT_TRUE(CaughtUp(publisher, journal));
  publisher.Stop();

  absl::StatusOr<std::vector<Record>> records = ConsumeAll(kafka_->bootstrap_servers(), kTopic);
  ASSERT_TRUE(records.ok()) << records.status();
  const std::vector<testing::EventId> expected = JournalEvents(journal);
  EXPECT_GT(records->size(), expected.size());  // 121..300 went twice
  EXPECT_EQ(Dedupe(*records), expected);
  EXPECT_TRUE(testing::FirstCopiesOrderedPerPartition(*records));

  // The topic reader drops the repeats and finds every sequence that has
  // events; the ones without (s % 4 == 0) are reported, not hidden.
  ReadTopicStats stats;
  ReadTopicOptions options;
  options.gaps = ReadTopicOptions::Gaps::kReport;
  std::vector<testing::EventId> visited;
  ASSERT_TRUE(ReadTopic(
                  kafka_->bootstrap_servers(), kTopic,
                  [&](const marketplace::v1::Event& event) {
                    visited.emplace_back(event.sequence(), event.index());
                    return absl::OkStatus();
                  },
                  &stats, options)
                  .ok());
  EXPECT_EQ(visited, expected);
  EXPECT_EQ(stats.duplicates, records->size() - expected.size());
  EXPECT_EQ(stats.last_sequence, 399u);  // 400 has no events
  for (const SequenceRange& range : stats.missing_sequences) {
    EXPECT_EQ(range.first, range.last);
    EXPECT_EQ(range.first % 4, 0u) << range.first;
  }
}

TEST_F(PublisherTest, StartRejectsACursorBeyondTheJournal) {
  storage::MemoryJournal journal;
  ASSERT_TRUE(AppendEntries(journal, 10).ok());
  ASSERT_TRUE(journal.WriteCursor("kafka", 11).ok());
  Publisher publisher(journal, Options());
  const absl::Status started = publisher.Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kFailedPrecondition) << started;
  EXPECT_NE(started.message().find("sequence 11"), std::string::npos) << started;
}

TEST_F(PublisherTest, StartRejectsBadOptions) {
  storage::MemoryJournal journal;
  PublisherOptions no_brokers = Options();
  no_brokers.brokers.clear();
  EXPECT_EQ(Publisher(journal, no_brokers).Start().code(), absl::StatusCode::kInvalidArgument);
  PublisherOptions bad_property = Options();
  bad_property.librdkafka_config["no.such.property"] = "1";
  const absl::Status started = Publisher(journal, bad_property).Start();
  EXPECT_EQ(started.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(started.message().find("no.such.property"), std::string::npos) << started;
  PublisherOptions no_window = Options();
  no_window.max_in_flight_events = 0;
  EXPECT_EQ(Publisher(journal, no_window).Start().code(), absl::StatusCode::kInvalidArgument);

  Publisher twice(journal, Options());
  ASSERT_TRUE(twice.Start().ok());
  EXPECT_EQ(twice.Start().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(PublisherTest, UnreachableKafkaNeverBlocksAppends) {
  storage::MemoryJournal journal;
  PublisherOptions options = Options();
  options.brokers = "127.0.0.1:1";  // nothing listens there
  options.stop_flush_timeout_ms = 200;
  options.max_in_flight_events = 100;
  Publisher publisher(journal, options);
  ASSERT_TRUE(publisher.Start().ok());
  const absl::Time start = absl::Now();
  for (int round = 0; round < 100; ++round) {
    ASSERT_TRUE(AppendEntries(journal, 50).ok());
    publisher.Notify();
  }
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  // In flight stays bounded (plus at most one command's events).
  ASSERT_TRUE(WaitFor([&] { return publisher.stats().events_in_flight >= 100; }, absl::Seconds(5)));
  ASSERT_TRUE(WaitFor([&] { return publisher.stats().oldest_unpublished_age_ms >= 300; },
                      absl::Seconds(5)));
  const Publisher::Stats stats = publisher.stats();
  EXPECT_LE(stats.events_in_flight, 100u + 3u);
  EXPECT_EQ(stats.published_sequence, 0u);
  EXPECT_EQ(stats.journal_sequence, 5000u);
  EXPECT_FALSE(stats.connected);
  const absl::Time stop = absl::Now();
  publisher.Stop();
  EXPECT_LT(absl::Now() - stop, absl::Seconds(3));
  EXPECT_EQ(journal.ReadCursor("kafka").value(), 0u);
}

}  // namespace
}  // namespace market::kafka
