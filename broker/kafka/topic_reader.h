// ReadTopic: the consuming half of `marketctl kafka-replay`. Reads the event
// topic from the beginning of every partition up to the end it had when the
// read started, drops repeats by (sequence, index), checks that nothing is
// missing, and hands the events to the caller in (sequence, index) order.
//
// What "nothing is missing" can mean from the topic alone:
//  - inside a sequence: indices are dense from 0, and when the records carry
//    the event_count header, exactly that many. A hole is always a loss:
//    DATA_LOSS naming the sequence and index.
//  - across sequences: a sequence with no event at all may be a loss, or a
//    command that produced no events (a retried amend whose client_ref was
//    already used). ReadTopic lists such sequences in
//    ReadTopicStats::missing_sequences; with Gaps::kFail (the default) any
//    is DATA_LOSS naming the first, with Gaps::kReport the caller decides
//    (e.g. against the journal's own record of empty commands).
//  - the tail: events of the latest sequences missing from the topic cannot
//    be told from sequences not yet published.
// Every check runs before the first call to `visit`.
//
// Buffering: all distinct events are held in memory until the read ends (the
// partitions interleave arbitrarily); a topic of N events costs O(N) memory.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "marketplace/v1/event.pb.h"

namespace market::kafka {

// Sequences first..last, inclusive.
struct SequenceRange {
  uint64_t first = 0;
  uint64_t last = 0;
  bool operator==(const SequenceRange&) const = default;
};

struct ReadTopicOptions {
  enum class Gaps : uint8_t {
    kFail,    // a sequence without events is DATA_LOSS
    kReport,  // listed in ReadTopicStats::missing_sequences only
  };
  Gaps gaps = Gaps::kFail;
  uint64_t first_sequence = 1;  // the first sequence the topic should hold
  int64_t timeout_ms = 60'000;  // for the whole read; DEADLINE_EXCEEDED after it
  // Extra librdkafka consumer properties (security.protocol, sasl.*, ...).
  std::map<std::string, std::string> librdkafka_config;
};

struct ReadTopicStats {
  uint32_t partitions = 0;
  uint64_t records = 0;                          // records consumed
  uint64_t duplicates = 0;                       // records whose (sequence, index) came before
  uint64_t events = 0;                           // distinct events passed to visit
  uint64_t last_sequence = 0;                    // the highest sequence seen; 0 for an empty topic
  std::vector<SequenceRange> missing_sequences;  // in first_sequence..last_sequence
};

// Reads `topic` on `brokers` (see above) and calls `visit` once per distinct
// event in (sequence, index) order, stopping at its first error, which is
// returned. Errors: NOT_FOUND (no such topic), UNAVAILABLE (no broker
// answered within timeout_ms), DEADLINE_EXCEEDED (the read did not finish
// within timeout_ms), DATA_LOSS
// (an unparsable record, headers that disagree with the event, a repeat that
// differs from the first copy, a hole in a sequence, a missing sequence under
// Gaps::kFail), INVALID_ARGUMENT (bad librdkafka properties). `stats` may be
// null; it is filled as far as the read got.
[[nodiscard]] absl::Status ReadTopic(
    const std::string& brokers, const std::string& topic,
    const std::function<absl::Status(const marketplace::v1::Event&)>& visit, ReadTopicStats* stats,
    const ReadTopicOptions& options = {});

}  // namespace market::kafka
