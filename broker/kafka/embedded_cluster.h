// EmbeddedKafka: librdkafka's mock cluster (rdkafka_mock.h) running inside
// this process, so that marketd without --kafka-brokers, the tests and the
// benchmark have a Kafka to talk to with no external service.
//
// The mock brokers speak the Kafka protocol on loopback TCP ports chosen by
// the OS (bootstrap_servers() lists them), so any client works against them,
// kcat included. Data lives in memory and dies with the object. The mock does
// not move partition leaders: a broker set down makes the partitions it leads
// unavailable until it is set up again.
//
// Fault injection for tests: SetBrokerDown/SetBrokerUp, SetPartitionLeader and
// PushProduceErrors.
//
// Thread safety: every method may be called from any thread; the mock runs
// its own thread. Identity type: neither copied nor moved.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct rd_kafka_s;
struct rd_kafka_mock_cluster_s;

namespace market::kafka {

class EmbeddedKafka {
 public:
  // Starts `brokers` mock brokers (ids 1..brokers) on 127.0.0.1.
  // INVALID_ARGUMENT for brokers < 1; INTERNAL if librdkafka cannot start it.
  static absl::StatusOr<std::unique_ptr<EmbeddedKafka>> Start(int brokers = 3);

  ~EmbeddedKafka();
  EmbeddedKafka(const EmbeddedKafka&) = delete;
  EmbeddedKafka& operator=(const EmbeddedKafka&) = delete;
  EmbeddedKafka(EmbeddedKafka&&) = delete;
  EmbeddedKafka& operator=(EmbeddedKafka&&) = delete;

  // "127.0.0.1:port,127.0.0.1:port,...": the --kafka-brokers value for clients.
  const std::string& bootstrap_servers() const { return bootstrap_servers_; }
  int broker_count() const { return broker_count_; }

  // Creates `topic` with leaders spread over the brokers. ALREADY_EXISTS or
  // INVALID_ARGUMENT (partitions < 1, replication outside 1..broker_count()).
  [[nodiscard]] absl::Status CreateTopic(const std::string& topic, int partitions,
                                         int replication_factor);

  // Makes `broker_id` the leader of `partition` of `topic` (the mock places
  // leaders at random on creation; tests that set a broker down pin them).
  [[nodiscard]] absl::Status SetPartitionLeader(const std::string& topic, int32_t partition,
                                                int32_t broker_id);

  // Disconnects broker `broker_id` and refuses new connections to it, or lets
  // it serve again. NOT_FOUND for an unknown id.
  [[nodiscard]] absl::Status SetBrokerDown(int32_t broker_id);
  [[nodiscard]] absl::Status SetBrokerUp(int32_t broker_id);

  // The next `count` Produce requests (to any broker) fail with
  // `kafka_error_code`, a Kafka protocol error code (the rd_kafka_resp_err_t
  // value, e.g. 6 = NOT_LEADER_FOR_PARTITION, retried by producers;
  // 87 = INVALID_RECORD, not retried). The mock does not check idempotent
  // sequence numbers, so a later batch already in flight is appended even
  // though the failed one before it was not: tests of retriable errors keep
  // one request in flight (docs/KAFKA.md, "The embedded cluster's limits").
  void PushProduceErrors(size_t count, int32_t kafka_error_code);

 private:
  EmbeddedKafka(rd_kafka_s* host, rd_kafka_mock_cluster_s* cluster, int brokers);

  rd_kafka_s* host_;                  // owned: the client handle the mock runs under
  rd_kafka_mock_cluster_s* cluster_;  // owned: destroyed before host_
  int broker_count_;
  std::string bootstrap_servers_;
};

}  // namespace market::kafka
