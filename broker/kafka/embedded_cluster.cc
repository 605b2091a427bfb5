#include "broker/kafka/embedded_cluster.h"

// rdkafka.h (through rdkafka_handle.h) must come before rdkafka_mock.h.
#include "broker/kafka/internal/rdkafka_handle.h"
// clang-format off
#include <librdkafka/rdkafka_mock.h>
// clang-format on

#include <spdlog/spdlog.h>

#include <vector>

namespace market::kafka {
namespace {

// The Kafka protocol's ApiKey of Produce requests (librdkafka keeps its
// RD_KAFKAP_* names in a private header).
constexpr int16_t kProduceApiKey = 0;

}  // namespace

absl::StatusOr<std::unique_ptr<EmbeddedKafka>> EmbeddedKafka::Start(int brokers) {
  if (brokers < 1) {
    return absl::InvalidArgumentError("an embedded Kafka needs at least one broker, got " +
                                      std::to_string(brokers));
  }
  // The host handle only carries the mock (its logs, its lifetime); it never
  // connects anywhere, so it needs no bootstrap servers (and need not say so
  // in the log).
  absl::StatusOr<internal::ConfHandle> conf =
      internal::MakeConf({{"log_level", "4"}}, "embedded-kafka");
  if (!conf.ok()) return conf.status();
  absl::StatusOr<internal::KafkaHandle> host =
      internal::NewClient(RD_KAFKA_PRODUCER, *std::move(conf));
  if (!host.ok()) return host.status();
  rd_kafka_mock_cluster_t* cluster = rd_kafka_mock_cluster_new(host->get(), brokers);
  if (cluster == nullptr) {
    return absl::InternalError("librdkafka could not start a mock cluster of " +
                               std::to_string(brokers) + " brokers");
  }
  auto embedded =
      std::unique_ptr<EmbeddedKafka>(new EmbeddedKafka(host->release(), cluster, brokers));
  spdlog::info("embedded Kafka (librdkafka mock, {} brokers) listening on {}", brokers,
               embedded->bootstrap_servers());
  return embedded;
}

EmbeddedKafka::EmbeddedKafka(rd_kafka_s* host, rd_kafka_mock_cluster_s* cluster, int brokers)
    : host_(host),
      cluster_(cluster),
      broker_count_(brokers),
      bootstrap_servers_(rd_kafka_mock_cluster_bootstraps(cluster)) {}

EmbeddedKafka::~EmbeddedKafka() {
  rd_kafka_mock_cluster_destroy(cluster_);
  rd_kafka_destroy(host_);
}

absl::Status EmbeddedKafka::CreateTopic(const std::string& topic, int partitions,
                                        int replication_factor) {
  if (partitions < 1) {
    return absl::InvalidArgumentError("topic " + topic + ": partitions must be >= 1, got " +
                                      std::to_string(partitions));
  }
  if (replication_factor < 1 || replication_factor > broker_count_) {
    return absl::InvalidArgumentError("topic " + topic + ": replication factor must be in 1.." +
                                      std::to_string(broker_count_) + ", got " +
                                      std::to_string(replication_factor));
  }
  return internal::ToStatus(
      rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, replication_factor),
      "creating topic " + topic);
}

absl::Status EmbeddedKafka::SetPartitionLeader(const std::string& topic, int32_t partition,
                                               int32_t broker_id) {
  return internal::ToStatus(
      rd_kafka_mock_partition_set_leader(cluster_, topic.c_str(), partition, broker_id),
      "moving the leader of " + topic + " partition " + std::to_string(partition) + " to broker " +
          std::to_string(broker_id));
}

absl::Status EmbeddedKafka::SetBrokerDown(int32_t broker_id) {
  return internal::ToStatus(rd_kafka_mock_broker_set_down(cluster_, broker_id),
                            "setting broker " + std::to_string(broker_id) + " down");
}

absl::Status EmbeddedKafka::SetBrokerUp(int32_t broker_id) {
  return internal::ToStatus(rd_kafka_mock_broker_set_up(cluster_, broker_id),
                            "setting broker " + std::to_string(broker_id) + " up");
}

void EmbeddedKafka::PushProduceErrors(size_t count, int32_t kafka_error_code) {
  const std::vector<rd_kafka_resp_err_t> errors(count,
                                                static_cast<rd_kafka_resp_err_t>(kafka_error_code));
  rd_kafka_mock_push_request_errors_array(cluster_, kProduceApiKey, errors.size(), errors.data());
}

}  // namespace market::kafka
