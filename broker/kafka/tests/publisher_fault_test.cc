// The publisher under faults injected into the embedded mock cluster: a
// broker down during load, produce errors (retried and permanent), and a fatal
// producer error. In every case: the appender never waits, the cursor never
// passes an undelivered event, and the topic ends up with every event.
#include <gtest/gtest.h>

#include <string>

#include "absl/time/clock.h"
#include "broker/kafka/embedded_cluster.h"
#include "broker/kafka/publisher.h"
#include "broker/kafka/tests/kafka_test_util.h"

namespace market::kafka {
namespace {

using testing::AppendEntries;
using testing::ConsumeAll;
using testing::Dedupe;
using testing::JournalEvents;
using testing::Record;
using testing::WaitFor;

constexpr char kTopic[] = "marketplace.events";
// Kafka protocol error codes (rd_kafka_resp_err_t values).
constexpr int32_t kNotEnoughReplicas = 19;  // retriable: the producer retries it
constexpr int32_t kInvalidRecord = 87;      // not retriable: the delivery fails

class PublisherFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<EmbeddedKafka>> started = EmbeddedKafka::Start(3);
    ASSERT_TRUE(started.ok()) << started.status();
    kafka_ = *std::move(started);
    ASSERT_TRUE(kafka_->CreateTopic(kTopic, 6, 3).ok());
    // Leaders are placed at random; pin them so every broker leads two
    // partitions (a broker set down then always stalls some events).
    for (int32_t partition = 0; partition < 6; ++partition) {
      ASSERT_TRUE(kafka_->SetPartitionLeader(kTopic, partition, partition % 3 + 1).ok());
    }
  }

  PublisherOptions Options() const {
    PublisherOptions options;
    options.brokers = kafka_->bootstrap_servers();
    options.topic = kTopic;
    options.librdkafka_config["reconnect.backoff.max.ms"] = "500";
    return options;
  }

  static bool CaughtUp(const Publisher& publisher, const storage::Journal& journal,
                       absl::Duration timeout = absl::Seconds(15)) {
    return WaitFor([&] { return publisher.stats().published_sequence == journal.last_sequence(); },
                   timeout);
  }

  // Every journaled event is in the topic; returns the records.
  std::vector<Record> ExpectComplete(const storage::Journal& journal) {
    absl::StatusOr<std::vector<Record>> records = ConsumeAll(kafka_->bootstrap_servers(), kTopic);
    EXPECT_TRUE(records.ok()) << records.status();
    if (!records.ok()) return {};
    EXPECT_EQ(Dedupe(*records), JournalEvents(journal));
    return *std::move(records);
  }

  std::unique_ptr<EmbeddedKafka> kafka_;
};

TEST_F(PublisherFaultTest, BrokerDownDuringLoadThenTheTopicCatchesUp) {
  storage::MemoryJournal journal;
  Publisher publisher(journal, Options());
  ASSERT_TRUE(publisher.Start().ok());
  ASSERT_TRUE(AppendEntries(journal, 300).ok());
  publisher.Notify();
  ASSERT_TRUE(CaughtUp(publisher, journal));

  ASSERT_TRUE(kafka_->SetBrokerDown(2).ok());  // leads some partitions: they stall
  const absl::Time load_start = absl::Now();
  for (int round = 0; round < 40; ++round) {
    ASSERT_TRUE(AppendEntries(journal, 50).ok());  // appends keep succeeding at once
    publisher.Notify();
  }
  EXPECT_LT(absl::Now() - load_start, absl::Seconds(2));
  // The cursor stops below the journal's end and the lag shows.
  ASSERT_TRUE(WaitFor([&] { return publisher.stats().oldest_unpublished_age_ms >= 500; },
                      absl::Seconds(5)));
  const Publisher::Stats during = publisher.stats();
  EXPECT_LT(during.published_sequence, during.journal_sequence);
  EXPECT_GT(during.events_in_flight, 0u);
  EXPECT_EQ(during.journal_sequence, 2300u);
  // More appends while still down: the cursor does not move over them.
  ASSERT_TRUE(AppendEntries(journal, 200).ok());
  publisher.Notify();
  EXPECT_LT(publisher.stats().published_sequence, journal.last_sequence());

  ASSERT_TRUE(kafka_->SetBrokerUp(2).ok());
  ASSERT_TRUE(CaughtUp(publisher, journal)) << publisher.stats().last_error;
  publisher.Stop();
  const std::vector<Record> records = ExpectComplete(journal);
  EXPECT_TRUE(testing::FirstCopiesOrderedPerPartition(records));
}

TEST_F(PublisherFaultTest, RetriableProduceErrorsAreRetriedWithoutLossOrRepeats) {
  storage::MemoryJournal journal;
  // One produce request in flight per broker: the mock does not check
  // idempotent sequences, so it would append the batch after a failed one
  // (docs/KAFKA.md, "The embedded cluster's limits").
  PublisherOptions options = Options();
  options.librdkafka_config["max.in.flight.requests.per.connection"] = "1";
  Publisher publisher(journal, options);
  ASSERT_TRUE(publisher.Start().ok());
  kafka_->PushProduceErrors(10, kNotEnoughReplicas);
  ASSERT_TRUE(AppendEntries(journal, 500).ok());
  publisher.Notify();
  ASSERT_TRUE(CaughtUp(publisher, journal)) << publisher.stats().last_error;
  EXPECT_EQ(publisher.stats().delivery_errors, 0u);
  publisher.Stop();
  const std::vector<Record> records = ExpectComplete(journal);
  EXPECT_TRUE(testing::StrictlyOrderedPerPartition(records));  // idempotence: no repeats
}

TEST_F(PublisherFaultTest, FailedDeliveriesAreSentAgainFromTheCursor) {
  storage::MemoryJournal journal;
  Publisher publisher(journal, Options());
  ASSERT_TRUE(publisher.Start().ok());
  ASSERT_TRUE(AppendEntries(journal, 100).ok());
  publisher.Notify();
  ASSERT_TRUE(CaughtUp(publisher, journal));

  kafka_->PushProduceErrors(3, kInvalidRecord);
  ASSERT_TRUE(AppendEntries(journal, 400).ok());
  publisher.Notify();
  ASSERT_TRUE(CaughtUp(publisher, journal)) << publisher.stats().last_error;
  const Publisher::Stats stats = publisher.stats();
  EXPECT_GT(stats.delivery_errors, 0u);
  EXPECT_NE(stats.last_error.find("failed"), std::string::npos) << stats.last_error;
  EXPECT_EQ(journal.ReadCursor("kafka").value(), journal.last_sequence());
  publisher.Stop();
  ExpectComplete(journal);
}

TEST_F(PublisherFaultTest, FatalProducerErrorRecreatesTheProducerAndResumes) {
  storage::MemoryJournal journal;
  Publisher publisher(journal, Options());
  ASSERT_TRUE(publisher.Start().ok());
  ASSERT_TRUE(AppendEntries(journal, 200).ok());
  publisher.Notify();
  ASSERT_TRUE(CaughtUp(publisher, journal));

  ASSERT_TRUE(AppendEntries(journal, 300).ok());
  publisher.TriggerFatalErrorForTesting();
  ASSERT_TRUE(
      WaitFor([&] { return publisher.stats().producer_recreations == 1; }, absl::Seconds(10)));
  EXPECT_NE(publisher.stats().last_error.find("fatal"), std::string::npos)
      << publisher.stats().last_error;
  ASSERT_TRUE(AppendEntries(journal, 200).ok());
  publisher.Notify();
  ASSERT_TRUE(CaughtUp(publisher, journal)) << publisher.stats().last_error;
  publisher.Stop();
  const std::vector<Record> records = ExpectComplete(journal);
  EXPECT_TRUE(testing::FirstCopiesOrderedPerPartition(records));
}

TEST_F(PublisherFaultTest, StopWithABrokerDownKeepsUndeliveredEventsAfterTheCursor) {
  storage::MemoryJournal journal;
  PublisherOptions options = Options();
  options.stop_flush_timeout_ms = 300;
  {
    Publisher publisher(journal, options);
    ASSERT_TRUE(publisher.Start().ok());
    ASSERT_TRUE(kafka_->SetBrokerDown(1).ok());
    ASSERT_TRUE(AppendEntries(journal, 500).ok());
    publisher.Notify();
    ASSERT_TRUE(WaitFor([&] { return publisher.stats().oldest_unpublished_age_ms >= 300; },
                        absl::Seconds(5)));
    const absl::Time stop = absl::Now();
    publisher.Stop();
    EXPECT_LT(absl::Now() - stop, absl::Seconds(3));
  }
  EXPECT_LT(journal.ReadCursor("kafka").value(), journal.last_sequence());

  ASSERT_TRUE(kafka_->SetBrokerUp(1).ok());
  Publisher publisher(journal, options);
  ASSERT_TRUE(publisher.Start().ok());
  ASSERT_TRUE(CaughtUp(publisher, journal)) << publisher.stats().last_error;
  publisher.Stop();
  ExpectComplete(journal);
}

}  // namespace
}  // namespace market::kafka
