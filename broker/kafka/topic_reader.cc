// ReadTopic: a plain assign()-based consumer (no consumer group, nothing
// committed) over every partition, from its low to its high watermark as of
// the start, then the checks and the ordered visit.
#include "broker/kafka/topic_reader.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "broker/kafka/internal/rdkafka_handle.h"
#include "broker/kafka/topic_contract.h"

namespace market::kafka {
namespace {

using marketplace::v1::Event;
using EventId = std::pair<uint64_t, uint32_t>;  // (sequence, index)

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* metadata) const {
    rd_kafka_metadata_destroy(metadata);
  }
};
struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
};

// One partition's read window: [low, high) at the start.
struct PartitionWindow {
  int32_t partition = 0;
  int64_t high = 0;
  bool done = false;
};

// What the records said, before checking.
struct Collected {
  std::map<EventId, Event> events;
  std::map<EventId, std::string> where;       // "partition P offset O" of the first copy
  std::map<uint64_t, uint64_t> event_counts;  // sequence -> event_count header
};

bool IsTransient(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__TRANSPORT || err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
         err == RD_KAFKA_RESP_ERR__TIMED_OUT || err == RD_KAFKA_RESP_ERR__RESOLVE ||
         err == RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE;
}

int RemainingMs(absl::Time deadline) {
  const absl::Duration left = deadline - absl::Now();
  return static_cast<int>(std::clamp<int64_t>(absl::ToInt64Milliseconds(left), 0, 1 << 30));
}

std::optional<std::string_view> Header(rd_kafka_headers_t* headers, std::string_view name) {
  if (headers == nullptr) return std::nullopt;
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_header_get_last(headers, std::string(name).c_str(), &value, &size) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return std::nullopt;
  }
  if (value == nullptr) return std::string_view();
  return std::string_view(static_cast<const char*>(value), size);
}

absl::Status Collect(const rd_kafka_message_t& message, Collected& collected,
                     ReadTopicStats& stats) {
  const std::string where = "partition " + std::to_string(message.partition) + " offset " +
                            std::to_string(message.offset);
  rd_kafka_headers_t* headers = nullptr;
  (void)rd_kafka_message_headers(&message, &headers);  // no headers: stays null
  const std::string_view content_type = Header(headers, kHeaderContentType).value_or("");
  absl::StatusOr<Event> event = ParseEventValue(
      std::string_view(static_cast<const char*>(message.payload), message.len), content_type);
  if (!event.ok()) return absl::DataLossError(where + ": " + std::string(event.status().message()));

  // Headers are a convenience copy of the body: they must agree with it.
  for (const auto& [name, expected] :
       {std::pair<std::string_view, uint64_t>{kHeaderSequence, event->sequence()},
        std::pair<std::string_view, uint64_t>{kHeaderIndex, event->index()}}) {
    const std::optional<std::string_view> text = Header(headers, name);
    if (!text.has_value()) continue;
    absl::StatusOr<uint64_t> value = ParseDecimalHeader(name, *text);
    if (!value.ok())
      return absl::DataLossError(where + ": " + std::string(value.status().message()));
    if (*value != expected) {
      return absl::DataLossError(where + ": header " + std::string(name) + " is " +
                                 std::to_string(*value) + " but the event says " +
                                 std::to_string(expected));
    }
  }
  if (const std::optional<std::string_view> text = Header(headers, kHeaderEventCount);
      text.has_value()) {
    absl::StatusOr<uint64_t> count = ParseDecimalHeader(kHeaderEventCount, *text);
    if (!count.ok())
      return absl::DataLossError(where + ": " + std::string(count.status().message()));
    const auto [known, inserted] = collected.event_counts.emplace(event->sequence(), *count);
    if (!inserted && known->second != *count) {
      return absl::DataLossError(where + ": sequence " + std::to_string(event->sequence()) +
                                 " has event_count " + std::to_string(*count) + " here and " +
                                 std::to_string(known->second) + " elsewhere");
    }
  }

  const EventId id{event->sequence(), event->index()};
  const auto found = collected.events.find(id);
  if (found != collected.events.end()) {
    ++stats.duplicates;
    if (!google::protobuf::util::MessageDifferencer::Equals(found->second, *event)) {
      return absl::DataLossError("event " + std::to_string(id.first) + "." +
                                 std::to_string(id.second) + " at " + where +
                                 " differs from its first copy at " + collected.where[id]);
    }
    return absl::OkStatus();
  }
  collected.where.emplace(id, where);
  collected.events.emplace(id, *std::move(event));
  return absl::OkStatus();
}

// Holes inside sequences (always DATA_LOSS) and sequences with no event.
absl::Status Check(const std::string& topic, const Collected& collected,
                   const ReadTopicOptions& options, ReadTopicStats& stats) {
  uint64_t expected_sequence = options.first_sequence;
  auto it = collected.events.begin();
  while (it != collected.events.end()) {
    const uint64_t sequence = it->first.first;
    if (sequence > expected_sequence) {
      stats.missing_sequences.push_back({expected_sequence, sequence - 1});
    }
    uint32_t next_index = 0;
    for (; it != collected.events.end() && it->first.first == sequence; ++it) {
      if (it->first.second != next_index) {
        return absl::DataLossError("topic " + topic + ": sequence " + std::to_string(sequence) +
                                   " is missing event index " + std::to_string(next_index));
      }
      ++next_index;
    }
    if (const auto count = collected.event_counts.find(sequence);
        count != collected.event_counts.end() && count->second != next_index) {
      return absl::DataLossError("topic " + topic + ": sequence " + std::to_string(sequence) +
                                 " has " + std::to_string(next_index) + " of its " +
                                 std::to_string(count->second) + " events (missing index " +
                                 std::to_string(next_index) + ")");
    }
    stats.last_sequence = sequence;
    expected_sequence = std::max(expected_sequence, sequence + 1);
  }
  if (options.gaps == ReadTopicOptions::Gaps::kFail && !stats.missing_sequences.empty()) {
    uint64_t missing = 0;
    for (const SequenceRange& range : stats.missing_sequences)
      missing += range.last - range.first + 1;
    return absl::DataLossError(
        "topic " + topic + ": sequence " + std::to_string(stats.missing_sequences.front().first) +
        " has no event (" + std::to_string(missing) + " sequence(s) without events up to " +
        std::to_string(stats.last_sequence) + ")");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadTopic(const std::string& brokers, const std::string& topic,
                       const std::function<absl::Status(const Event&)>& visit,
                       ReadTopicStats* stats_out, const ReadTopicOptions& options) {
  ReadTopicStats local_stats;
  ReadTopicStats& stats = stats_out != nullptr ? *stats_out : local_stats;
  stats = ReadTopicStats{};
  if (brokers.empty()) return absl::InvalidArgumentError("brokers: none given");
  if (topic.empty()) return absl::InvalidArgumentError("topic: empty");
  const absl::Time deadline =
      absl::Now() + absl::Milliseconds(std::max<int64_t>(options.timeout_ms, 0));

  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", brokers},
      {"group.id", "marketctl-kafka-replay"},  // required by librdkafka; never joined
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"enable.partition.eof", "true"},
      {"auto.offset.reset", "earliest"},
  };
  for (const auto& [key, value] : options.librdkafka_config) settings[key] = value;
  absl::StatusOr<internal::ConfHandle> conf = internal::MakeConf(settings, "kafka-replay");
  if (!conf.ok()) return conf.status();
  absl::StatusOr<internal::KafkaHandle> consumer =
      internal::NewClient(RD_KAFKA_CONSUMER, *std::move(conf));
  if (!consumer.ok()) return consumer.status();
  rd_kafka_t* rk = consumer->get();
  (void)rd_kafka_poll_set_consumer(rk);

  // Partitions and their windows. Metadata for all topics, not for this one:
  // asking about one topic may create it on a cluster that auto-creates.
  std::vector<PartitionWindow> windows;
  {
    const rd_kafka_metadata_t* raw = nullptr;
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    while (true) {
      err = rd_kafka_metadata(rk, 1, nullptr, &raw, std::clamp(RemainingMs(deadline), 1, 5'000));
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR || !IsTransient(err) || absl::Now() >= deadline) break;
      absl::SleepFor(absl::Milliseconds(200));  // a broker restarting: try again
    }
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const absl::Status status = internal::ToStatus(err, "metadata from " + brokers);
      return IsTransient(err)
                 ? absl::UnavailableError(std::string(status.message()) + " (gave up after " +
                                          std::to_string(options.timeout_ms) + " ms)")
                 : status;
    }
    const std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter> metadata(raw);
    const rd_kafka_metadata_topic_t* found = nullptr;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
      if (topic == metadata->topics[i].topic) found = &metadata->topics[i];
    }
    if (found == nullptr)
      return absl::NotFoundError("topic " + topic + " does not exist on " + brokers);
    if (found->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return internal::ToStatus(found->err, "topic " + topic);
    }
    for (int i = 0; i < found->partition_cnt; ++i) {
      windows.push_back({.partition = found->partitions[i].id});
    }
  }
  stats.partitions = static_cast<uint32_t>(windows.size());
  std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter> assignment(
      rd_kafka_topic_partition_list_new(static_cast<int>(windows.size())));
  for (PartitionWindow& window : windows) {
    int64_t low = 0;
    int64_t high = 0;
    const rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
        rk, topic.c_str(), window.partition, &low, &high, std::max(RemainingMs(deadline), 1));
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return internal::ToStatus(
          err, "watermarks of " + topic + " partition " + std::to_string(window.partition));
    }
    window.high = high;
    window.done = high <= low;
    if (!window.done) {
      rd_kafka_topic_partition_list_add(assignment.get(), topic.c_str(), window.partition)->offset =
          low;
    }
  }
  if (absl::Status assigned =
          internal::ToStatus(rd_kafka_assign(rk, assignment.get()), "assigning " + topic);
      !assigned.ok()) {
    return assigned;
  }

  Collected collected;
  const auto window_of = [&](int32_t partition) -> PartitionWindow* {
    for (PartitionWindow& window : windows) {
      if (window.partition == partition) return &window;
    }
    return nullptr;
  };
  const auto all_done = [&] {
    return std::all_of(windows.begin(), windows.end(), [](const auto& w) { return w.done; });
  };
  absl::Status read = absl::OkStatus();
  while (read.ok() && !all_done()) {
    if (absl::Now() >= deadline) {
      read = absl::DeadlineExceededError("reading topic " + topic + " did not finish within " +
                                         std::to_string(options.timeout_ms) + " ms");
      break;
    }
    const std::unique_ptr<rd_kafka_message_t, MessageDeleter> message(
        rd_kafka_consumer_poll(rk, std::min(RemainingMs(deadline), 100)));
    if (message == nullptr) continue;
    PartitionWindow* window = window_of(message->partition);
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (window != nullptr && message->offset >= window->high) window->done = true;
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const bool fatal = message->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
                         message->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
                         message->err == RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE ||
                         message->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED;
      if (fatal) read = internal::ToStatus(message->err, "consuming " + topic);
      continue;  // transient (a broker reconnecting): the deadline bounds it
    }
    if (window == nullptr || window->done || message->offset >= window->high) {
      if (window != nullptr) window->done = true;  // written after the read began
      continue;
    }
    ++stats.records;
    read = Collect(*message, collected, stats);
    if (message->offset + 1 >= window->high) window->done = true;
  }
  (void)rd_kafka_consumer_close(rk);
  if (!read.ok()) return read;

  if (absl::Status checked = Check(topic, collected, options, stats); !checked.ok()) return checked;
  for (const auto& [id, event] : collected.events) {
    if (absl::Status visited = visit(event); !visited.ok()) return visited;
    ++stats.events;
  }
  return absl::OkStatus();
}

}  // namespace market::kafka
