#include "broker/server/kafka_link.h"

#include "broker/kafka/embedded_cluster.h"
#include "broker/kafka/publisher.h"
#include "spdlog/spdlog.h"

namespace market::server {
namespace {
constexpr int kEmbeddedPartitions = 48;
}  // namespace

absl::StatusOr<std::unique_ptr<KafkaLink>> KafkaLink::Start(const MarketdOptions& options,
                                                            storage::Journal& journal) {
  std::unique_ptr<KafkaLink> link(new KafkaLink());
  link->topic_ = options.kafka_topic;
  link->bootstrap_ = options.kafka_brokers;
  if (options.kafka_brokers.empty()) {
    absl::StatusOr<std::unique_ptr<kafka::EmbeddedKafka>> embedded =
        kafka::EmbeddedKafka::Start(options.kafka_embedded_brokers);
    if (!embedded.ok()) return embedded.status();
    link->embedded_ = *std::move(embedded);
    link->bootstrap_ = link->embedded_->bootstrap_servers();
    // librdkafka's mock keeps only about 5 MB per partition and drops the
    // oldest records beyond it (a fixed retention, not settable through its
    // API). The demo market's contract events alone are about 30 MB, so the
    // embedded topic spreads over many partitions; a long-running market
    // needs a real cluster (--kafka-brokers). The mock does not replicate.
    if (absl::Status created =
            link->embedded_->CreateTopic(options.kafka_topic, kEmbeddedPartitions, 1);
        !created.ok()) {
      return created;
    }
  }
  kafka::PublisherOptions publisher;
  publisher.brokers = link->bootstrap_;
  publisher.topic = options.kafka_topic;
  publisher.format = options.kafka_format == "json" ? kafka::PublisherOptions::Format::kJson
                                                    : kafka::PublisherOptions::Format::kProtobuf;
  link->publisher_ = std::make_unique<kafka::Publisher>(journal, publisher);
  if (absl::Status started = link->publisher_->Start(); !started.ok()) return started;
  return link;
}

KafkaLink::~KafkaLink() { Stop(); }

void KafkaLink::Stop() {
  if (publisher_ != nullptr) publisher_->Stop();
}

void KafkaLink::OnGroupDurable(uint64_t, std::span<const marketplace::v1::Event>) {
  publisher_->Notify();
}

void KafkaLink::FillStats(uint64_t last_sequence, marketplace::v1::MarketStats* stats) const {
  const kafka::Publisher::Stats published = publisher_->stats();
  stats->set_kafka_bootstrap_servers(bootstrap_);
  stats->set_kafka_topic(topic_);
  stats->set_kafka_published_sequence(published.published_sequence);
  stats->set_kafka_lag_sequences(last_sequence > published.published_sequence
                                     ? last_sequence - published.published_sequence
                                     : 0);
  stats->set_kafka_connected(published.connected);
  stats->set_kafka_last_error(published.last_error);
}

}  // namespace market::server
