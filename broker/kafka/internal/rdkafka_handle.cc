#include "broker/kafka/internal/rdkafka_handle.h"

#include <spdlog/spdlog.h>

#include <array>
#include <utility>

namespace market::kafka::internal {
namespace {

// librdkafka's syslog levels: 0..2 error, 3..4 warning (3 is also how it
// reports a refused connection, routine while a broker is down), 5..6 info,
// 7 debug.
void LogToSpdlog(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  const char* name = rk == nullptr ? "rdkafka" : rd_kafka_name(rk);
  if (level <= 2) {
    spdlog::error("[{}] {}: {}", name, facility, message);
  } else if (level <= 4) {
    spdlog::warn("[{}] {}: {}", name, facility, message);
  } else if (level <= 6) {
    spdlog::info("[{}] {}: {}", name, facility, message);
  } else {
    spdlog::debug("[{}] {}: {}", name, facility, message);
  }
}

absl::StatusCode CodeOf(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return absl::StatusCode::kOk;
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return absl::StatusCode::kDeadlineExceeded;
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR__UNKNOWN_BROKER:
      return absl::StatusCode::kNotFound;
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
      return absl::StatusCode::kInvalidArgument;
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
      return absl::StatusCode::kAlreadyExists;
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
      return absl::StatusCode::kResourceExhausted;
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
      return absl::StatusCode::kPermissionDenied;
    case RD_KAFKA_RESP_ERR__FATAL:
      return absl::StatusCode::kInternal;
    default:
      return absl::StatusCode::kUnavailable;
  }
}

}  // namespace

absl::Status SetConf(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  std::array<char, 512> error{};
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error.data(), error.size()) !=
      RD_KAFKA_CONF_OK) {
    return absl::InvalidArgumentError("librdkafka property " + key + ": " + error.data());
  }
  return absl::OkStatus();
}

absl::StatusOr<ConfHandle> MakeConf(const std::map<std::string, std::string>& settings,
                                    const std::string& log_name) {
  ConfHandle conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), &LogToSpdlog);
  if (absl::Status set = SetConf(conf.get(), "client.id", log_name); !set.ok()) return set;
  for (const auto& [key, value] : settings) {
    if (absl::Status set = SetConf(conf.get(), key, value); !set.ok()) return set;
  }
  return conf;
}

absl::StatusOr<KafkaHandle> NewClient(rd_kafka_type_t type, ConfHandle conf) {
  std::array<char, 512> error{};
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), error.data(), error.size());
  if (rk == nullptr) {
    return absl::InvalidArgumentError(std::string("cannot create a Kafka client: ") + error.data());
  }
  (void)conf.release();  // rd_kafka_new took it
  return KafkaHandle(rk);
}

absl::Status ToStatus(rd_kafka_resp_err_t err, const std::string& what) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return absl::OkStatus();
  return absl::Status(CodeOf(err),
                      what + ": " + rd_kafka_err2str(err) + " (" + rd_kafka_err2name(err) + ")");
}

}  // namespace market::kafka::internal
