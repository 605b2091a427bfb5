// Small helpers around the librdkafka C API shared by the publisher, the
// embedded cluster and the topic reader: owning handles, configuration from a
// key/value list with errors as absl::Status, and librdkafka's log lines routed
// to spdlog.
//
// librdkafka must be included as rdkafka.h first and rdkafka_mock.h after it;
// this header includes rdkafka.h, so include it before rdkafka_mock.h.
#pragma once

#include <librdkafka/rdkafka.h>

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace market::kafka::internal {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};
// Owns a client instance; destroying it waits for librdkafka's threads.
using KafkaHandle = std::unique_ptr<rd_kafka_t, KafkaDeleter>;

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
// Owns a configuration until rd_kafka_new takes it (release() on success).
using ConfHandle = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

struct QueueDeleter {
  void operator()(rd_kafka_queue_t* queue) const { rd_kafka_queue_destroy(queue); }
};
using QueueHandle = std::unique_ptr<rd_kafka_queue_t, QueueDeleter>;

// A configuration with every (key, value) of `settings` applied in order and
// librdkafka's logs sent to spdlog under `log_name`. An unknown key or a bad
// value is INVALID_ARGUMENT naming the key.
absl::StatusOr<ConfHandle> MakeConf(const std::map<std::string, std::string>& settings,
                                    const std::string& log_name);

// Sets one property; INVALID_ARGUMENT naming the key on failure.
absl::Status SetConf(rd_kafka_conf_t* conf, const std::string& key, const std::string& value);

// Creates a client of `type` from `conf` (taken on success only).
absl::StatusOr<KafkaHandle> NewClient(rd_kafka_type_t type, ConfHandle conf);

// The absl::Status for a librdkafka error, with `what` as context; OK for
// RD_KAFKA_RESP_ERR_NO_ERROR.
absl::Status ToStatus(rd_kafka_resp_err_t err, const std::string& what);

}  // namespace market::kafka::internal
