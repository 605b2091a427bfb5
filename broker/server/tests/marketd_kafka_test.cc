// marketd's event stream in Kafka: every journaled event, once, in order;
// publishing survives a broker outage and a SIGKILL; kcat can read it.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "broker/kafka/embedded_cluster.h"
#include "broker/kafka/topic_reader.h"
#include "broker/server/tests/marketd_fixture.h"
#include "tools/client/market_client.h"

namespace market::server::testing {
namespace {

namespace pb = marketplace::v1;
constexpr char kTopic[] = "marketplace.events";

std::string OfferJson(const std::string& client_ref) {
  return R"({"publishOffer": {"clientRef": ")" + client_ref +
         R"(", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "100", "rate": "4000", "availableFrom": "2026-01-01"}})";
}

class MarketdKafkaTest : public MarketdTest {
 protected:
  pb::MarketStats Stats() {
    grpc::ClientContext context;
    client::Prepare(&context, key("ops"));
    pb::MarketStats stats;
    const grpc::Status status =
        pb::OpsService::NewStub(channel())->GetStats(&context, pb::GetStatsRequest(), &stats);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return stats;
  }

  // Waits until everything journaled is delivered; false after `timeout`.
  bool WaitForPublished(std::chrono::seconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const pb::MarketStats stats = Stats();
      if (stats.kafka_published_sequence() == stats.last_sequence()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  // Every event of sequences 1..last, from the journal via StreamEvents. A
  // marker command (refused, so journaled with one event) ends the read.
  std::vector<pb::Event> JournaledEvents(uint64_t last) {
    pb::CommandResult marker;
    EXPECT_EQ(Send("ops", OfferJson("marker"), &marker).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    grpc::ClientContext context;
    client::Prepare(&context, key("ops"), std::chrono::seconds(30));
    auto reader =
        pb::OpsService::NewStub(channel())->StreamEvents(&context, pb::StreamEventsRequest());
    std::vector<pb::Event> events;
    pb::Event event;
    while (reader->Read(&event) && event.sequence() <= last) events.push_back(event);
    context.TryCancel();
    return events;
  }

  // The distinct events in the topic, in (sequence, index) order.
  std::vector<pb::Event> TopicEvents(const std::string& brokers,
                                     kafka::ReadTopicStats* stats = nullptr) {
    std::vector<pb::Event> events;
    kafka::ReadTopicOptions options;
    options.gaps = kafka::ReadTopicOptions::Gaps::kReport;
    const absl::Status read = kafka::ReadTopic(
        brokers, kTopic,
        [&](const pb::Event& event) {
          events.push_back(event);
          return absl::OkStatus();
        },
        stats, options);
    EXPECT_TRUE(read.ok()) << read;
    return events;
  }

  void ExpectSameEvents(const std::vector<pb::Event>& topic,
                        const std::vector<pb::Event>& journal) {
    ASSERT_EQ(topic.size(), journal.size());
    for (size_t i = 0; i < topic.size(); ++i) {
      ASSERT_EQ(topic[i].SerializeAsString(), journal[i].SerializeAsString())
          << "event " << i << " (sequence " << journal[i].sequence() << ")";
    }
  }
};

TEST_F(MarketdKafkaTest, EveryJournaledEventIsInTheEmbeddedTopicOnceInOrder) {
  SeedReferenceData();
  for (int i = 0; i < 50; ++i) SendOk("vendor:V1", OfferJson("e" + std::to_string(i)));
  ASSERT_TRUE(WaitForPublished());
  const pb::MarketStats stats = Stats();
  EXPECT_EQ(stats.kafka_bootstrap_servers(), marketd()->kafka_bootstrap());
  EXPECT_EQ(stats.kafka_lag_sequences(), 0u);
  kafka::ReadTopicStats read;
  const std::vector<pb::Event> topic = TopicEvents(marketd()->kafka_bootstrap(), &read);
  EXPECT_TRUE(read.missing_sequences.empty());
  ExpectSameEvents(topic, JournaledEvents(stats.last_sequence()));
}

TEST_F(MarketdKafkaTest, KcatReadsTheTopicAsAnOutsideClient) {
  SeedReferenceData();
  ASSERT_TRUE(WaitForPublished());
  const std::string command = "kcat -b " + marketd()->kafka_bootstrap() + " -t " + kTopic +
                              " -C -e -o beginning -q -f '%h\\n' 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  int lines = 0;
  char buffer[1024];
  std::string first;
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) {
    if (lines++ == 0) first = buffer;
  }
  EXPECT_EQ(WEXITSTATUS(pclose(pipe)), 0);
  EXPECT_EQ(lines, 13);  // one event per reference-data command
  EXPECT_NE(first.find("sequence="), std::string::npos) << first;
}

// marketd publishing to a cluster this test owns, so the cluster outlives
// marketd restarts and brokers can be taken down.
class MarketdExternalKafkaTest : public MarketdKafkaTest {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<kafka::EmbeddedKafka>> cluster = kafka::EmbeddedKafka::Start(1);
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = *std::move(cluster);
    ASSERT_TRUE(cluster_->CreateTopic(kTopic, 3, 1).ok());
    MarketdKafkaTest::SetUp();
  }
  std::vector<std::string> InitialFlags() override {
    return {"--kafka-brokers", cluster_->bootstrap_servers()};
  }
  void Restart() { StartMarketd(InitialFlags()); }

  std::unique_ptr<kafka::EmbeddedKafka> cluster_;
};

TEST_F(MarketdExternalKafkaTest, ABrokerOutageDelaysPublishingButNeverAcceptingCommands) {
  SeedReferenceData();
  ASSERT_TRUE(WaitForPublished());
  ASSERT_TRUE(cluster_->SetBrokerDown(1).ok());
  for (int i = 0; i < 100; ++i) SendOk("vendor:V1", OfferJson("d" + std::to_string(i)));
  const pb::MarketStats during = Stats();
  EXPECT_GT(during.kafka_lag_sequences(), 0u);
  ASSERT_TRUE(cluster_->SetBrokerUp(1).ok());
  ASSERT_TRUE(WaitForPublished(std::chrono::seconds(60)));
  const std::vector<pb::Event> topic = TopicEvents(cluster_->bootstrap_servers());
  ExpectSameEvents(topic, JournaledEvents(Stats().last_sequence()));
}

TEST_F(MarketdExternalKafkaTest, SigkillWhilePublishingLeavesNoGapAfterRestart) {
  SeedReferenceData();
  std::atomic<bool> stop{false};
  std::thread load([&] {
    for (int i = 0; !stop; ++i) {
      pb::CommandResult ignored;
      (void)Send("vendor:V1", OfferJson("k" + std::to_string(i)), &ignored);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  marketd()->Kill();
  stop = true;
  load.join();
  Restart();
  SendOk("vendor:V2", OfferJson("after-restart"));
  ASSERT_TRUE(WaitForPublished(std::chrono::seconds(60)));
  kafka::ReadTopicStats read;
  const std::vector<pb::Event> topic = TopicEvents(cluster_->bootstrap_servers(), &read);
  EXPECT_TRUE(read.missing_sequences.empty());
  ExpectSameEvents(topic, JournaledEvents(Stats().last_sequence()));
}

TEST_F(MarketdExternalKafkaTest, KafkaReplayRebuildsTheServersStateFromTheTopicAlone) {
  SeedReferenceData();
  for (int i = 0; i < 30; ++i) SendOk("vendor:V1", OfferJson("p" + std::to_string(i)));
  SendOk("vendor:V1", OfferJson("p0"));  // a retry: a sequence without events
  SendOk(
      "sponsor:S1",
      R"({"submitRequest": {"clientRef": "fill", "role": "CTA", "locations": ["LATAM"], "fteMilli": "1000", "maxRate": "4500", "startDate": "2026-03-01", "endDate": "2026-12-31"}})");
  ASSERT_TRUE(WaitForPublished());
  ASSERT_EQ(marketd()->Stop(), 0);
  const std::string command = BinaryPath("marketctl") + " kafka-replay --brokers " +
                              cluster_->bootstrap_servers() + " --topic " + kTopic + " --compare " +
                              data_dir() + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[1024];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  EXPECT_EQ(WEXITSTATUS(pclose(pipe)), 0) << output;
  EXPECT_NE(output.find("equals"), std::string::npos) << output;
}

}  // namespace
}  // namespace market::server::testing
