// MarketdOptions: marketd's command line, parsed with CLI11.
#pragma once

#include <string>

namespace market::server {

struct MarketdOptions {
  std::string listen = "127.0.0.1:50051";
  std::string data_dir = "./data";
  std::string keys;  // default <data_dir>/api-keys.txt
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  std::string fsync = "always";
  std::string kafka_brokers;  // empty: the embedded mock cluster
  std::string kafka_topic = "marketplace.events";
  std::string kafka_format = "protobuf";
  int kafka_embedded_brokers = 3;
  std::string log_format = "text";
  size_t queue_capacity = 65536;
  size_t max_group = 1024;
  size_t reserve_heap_mb = 0;      // 0: no heap reserve
  size_t reserve_client_refs = 0;  // 0: the idempotency index grows on demand
};

}  // namespace market::server
