// `marketctl kafka-replay`: proves the Kafka topic is a complete audit log.
// Consumes the topic from the beginning, drops repeats by (sequence, index),
// checks that no event is missing, rebuilds the engine state from the events
// alone (codec::EventProjector) and prints its digest; with --compare, checks
// it equals the state digest of a data dir (a stopped server's, or a backup).
#pragma once

#include <cstdint>
#include <string>

namespace market::tools {

struct KafkaReplayOptions {
  std::string brokers;
  std::string topic = "marketplace.events";
  std::string data_dir;  // where to write the rebuilt state; empty: nowhere
  std::string compare;   // a data dir to compare with; empty: none
  int64_t timeout_ms = 120'000;
};

// Prints a one-line summary; 0 when the topic is complete (and, with
// --compare, agrees with the data dir), 1 otherwise.
int RunKafkaReplay(const KafkaReplayOptions& options);

}  // namespace market::tools
