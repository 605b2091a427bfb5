#include "broker/kafka/tests/kafka_test_util.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <memory>
#include <set>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "broker/kafka/internal/rdkafka_handle.h"
#include "broker/kafka/topic_contract.h"

namespace market::kafka::testing {

using marketplace::v1::Event;

Event MakeEvent(uint64_t sequence, uint32_t index, uint64_t timestamp_unix_nanos) {
  Event event;
  event.set_sequence(sequence);
  event.set_index(index);
  event.set_timestamp_unix_nanos(timestamp_unix_nanos);
  event.set_principal(sequence % 2 == 1 ? "sponsor:s1" : "vendor:v1");
  const std::string request_id = "R" + std::to_string(sequence % 2 == 1 ? sequence : sequence - 1);
  const std::string offer_id = "O" + std::to_string(sequence % 2 == 0 ? sequence : sequence - 1);
  if (index == 0) {
    if (sequence % 2 == 1) {
      event.mutable_request_accepted()->set_request_id(request_id);
    } else {
      event.mutable_offer_accepted()->set_offer_id(offer_id);
    }
  } else if (index % 2 == 1) {
    auto* fill = event.mutable_assignment_created();
    fill->set_assignment_id("A" + std::to_string(sequence) + "-" + std::to_string(index));
    fill->set_request_id(request_id);
    fill->set_offer_id(offer_id);
    fill->set_fte_milli(500);
    fill->set_rate(12'000);
  } else {
    auto* closed = event.mutable_offer_closed();
    closed->set_offer_id(offer_id);
    closed->set_reason(marketplace::v1::EXHAUSTED);
  }
  return event;
}

std::vector<storage::JournalEntry> MakeEntries(uint64_t first, size_t count) {
  const auto now = static_cast<uint64_t>(absl::ToUnixNanos(absl::Now()));
  std::vector<storage::JournalEntry> entries;
  for (uint64_t sequence = first; sequence < first + count; ++sequence) {
    storage::JournalEntry entry{.sequence = sequence, .payload = "command", .events = {}};
    for (uint32_t index = 0; index < sequence % 4; ++index) {
      entry.events.push_back(MakeEvent(sequence, index, now).SerializeAsString());
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::Status AppendEntries(storage::Journal& journal, size_t count, size_t group_size) {
  size_t appended = 0;
  while (appended < count) {
    const size_t n = std::min(group_size, count - appended);
    const std::vector<storage::JournalEntry> group = MakeEntries(journal.last_sequence() + 1, n);
    if (absl::Status status = journal.Append(group); !status.ok()) return status;
    appended += n;
  }
  return absl::OkStatus();
}

std::vector<EventId> JournalEvents(const storage::Journal& journal) {
  std::vector<EventId> ids;
  const absl::Status read = journal.Read(1, journal.last_sequence(), [&](const auto& entry) {
    for (uint32_t index = 0; index < entry.events.size(); ++index) {
      ids.emplace_back(entry.sequence, index);
    }
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
  return ids;
}

EventId Record::id() const {
  uint64_t sequence = 0;
  uint32_t index = 0;
  const auto s = headers.find("sequence");
  const auto i = headers.find("index");
  if (s != headers.end()) (void)absl::SimpleAtoi(s->second, &sequence);
  if (i != headers.end()) (void)absl::SimpleAtoi(i->second, &index);
  return {sequence, index};
}

absl::StatusOr<std::vector<Record>> ConsumeAll(const std::string& brokers, const std::string& topic,
                                               absl::Duration timeout) {
  auto conf = internal::MakeConf({{"bootstrap.servers", brokers},
                                  {"group.id", "kafka-test"},
                                  {"enable.auto.commit", "false"},
                                  {"enable.partition.eof", "true"}},
                                 "kafka-test-consumer");
  if (!conf.ok()) return conf.status();
  auto consumer = internal::NewClient(RD_KAFKA_CONSUMER, *std::move(conf));
  if (!consumer.ok()) return consumer.status();
  rd_kafka_t* rk = consumer->get();
  (void)rd_kafka_poll_set_consumer(rk);
  const int timeout_ms = static_cast<int>(absl::ToInt64Milliseconds(timeout));

  rd_kafka_topic_t* handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, handle, &metadata, timeout_ms);
  rd_kafka_topic_destroy(handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return internal::ToStatus(err, "metadata");
  std::vector<int32_t> partitions;
  for (int i = 0; i < metadata->topics[0].partition_cnt; ++i) {
    partitions.push_back(metadata->topics[0].partitions[i].id);
  }
  rd_kafka_metadata_destroy(metadata);
  std::sort(partitions.begin(), partitions.end());

  std::map<int32_t, int64_t> high;
  rd_kafka_topic_partition_list_t* assignment =
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (int32_t partition : partitions) {
    int64_t lo = 0;
    int64_t hi = 0;
    const rd_kafka_resp_err_t wm =
        rd_kafka_query_watermark_offsets(rk, topic.c_str(), partition, &lo, &hi, timeout_ms);
    if (wm != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_topic_partition_list_destroy(assignment);
      return internal::ToStatus(wm, "watermarks");
    }
    if (hi > lo) {
      high[partition] = hi;
      rd_kafka_topic_partition_list_add(assignment, topic.c_str(), partition)->offset = lo;
    }
  }
  (void)rd_kafka_assign(rk, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);

  std::map<int32_t, std::vector<Record>> by_partition;
  const absl::Time deadline = absl::Now() + timeout;
  std::set<int32_t> done;
  while (done.size() < high.size()) {
    if (absl::Now() > deadline) return absl::DeadlineExceededError("ConsumeAll timed out");
    rd_kafka_message_t* message = rd_kafka_consumer_poll(rk, 100);
    if (message == nullptr) continue;
    const std::unique_ptr<rd_kafka_message_t, void (*)(rd_kafka_message_t*)> owned(
        message, rd_kafka_message_destroy);
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      if (message->offset >= high[message->partition]) done.insert(message->partition);
      continue;
    }
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    if (message->offset >= high[message->partition]) {
      done.insert(message->partition);
      continue;
    }
    Record record;
    record.partition = message->partition;
    record.offset = message->offset;
    if (message->key != nullptr) {
      record.key.assign(static_cast<const char*>(message->key), message->key_len);
    }
    record.value.assign(static_cast<const char*>(message->payload), message->len);
    rd_kafka_timestamp_type_t type;
    record.timestamp_ms = rd_kafka_message_timestamp(message, &type);
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* name = nullptr;
      const void* value = nullptr;
      size_t size = 0;
      for (size_t i = 0;
           rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
           ++i) {
        record.headers[name] = std::string(static_cast<const char*>(value), size);
      }
    }
    if (message->offset + 1 >= high[message->partition]) done.insert(message->partition);
    by_partition[record.partition].push_back(std::move(record));
  }
  (void)rd_kafka_consumer_close(rk);
  std::vector<Record> records;
  for (auto& [partition, list] : by_partition) {
    std::sort(list.begin(), list.end(),
              [](const Record& a, const Record& b) { return a.offset < b.offset; });
    for (Record& record : list) records.push_back(std::move(record));
  }
  return records;
}

std::vector<EventId> Dedupe(const std::vector<Record>& records) {
  std::set<EventId> ids;
  for (const Record& record : records) ids.insert(record.id());
  return {ids.begin(), ids.end()};
}

bool StrictlyOrderedPerPartition(const std::vector<Record>& records) {
  std::map<int32_t, EventId> last;
  for (const Record& record : records) {
    const auto found = last.find(record.partition);
    if (found != last.end() && !(found->second < record.id())) {
      ADD_FAILURE() << "partition " << record.partition << " offset " << record.offset << ": "
                    << record.id().first << "." << record.id().second << " after "
                    << found->second.first << "." << found->second.second;
      return false;
    }
    last[record.partition] = record.id();
  }
  return true;
}

bool FirstCopiesOrderedPerPartition(const std::vector<Record>& records) {
  std::map<int32_t, EventId> last;
  std::set<EventId> seen;
  for (const Record& record : records) {
    if (!seen.insert(record.id()).second) continue;
    const auto found = last.find(record.partition);
    if (found != last.end() && !(found->second < record.id())) {
      ADD_FAILURE() << "partition " << record.partition << " offset " << record.offset
                    << ": first copy of " << record.id().first << "." << record.id().second
                    << " after " << found->second.first << "." << found->second.second;
      return false;
    }
    last[record.partition] = record.id();
  }
  return true;
}

bool WaitFor(const std::function<bool()>& done, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

ScopedTempDir::ScopedTempDir() {
  std::string pattern =
      (std::filesystem::path(::testing::TempDir()) / "kafka_test_XXXXXX").string();
  if (mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

ScopedTempDir::~ScopedTempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

}  // namespace market::kafka::testing

namespace market::kafka::testing {

absl::Status ProduceRecords(const std::string& brokers, const std::string& topic,
                            const std::vector<RawRecord>& records) {
  auto conf = internal::MakeConf({{"bootstrap.servers", brokers}, {"linger.ms", "0"}},
                                 "kafka-test-producer");
  if (!conf.ok()) return conf.status();
  auto producer = internal::NewClient(RD_KAFKA_PRODUCER, *std::move(conf));
  if (!producer.ok()) return producer.status();
  for (const RawRecord& record : records) {
    rd_kafka_headers_t* headers = rd_kafka_headers_new(record.headers.size());
    for (const auto& [name, value] : record.headers) {
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    }
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer->get(), RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(record.partition),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(record.key.data(), record.key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(record.value.data()), record.value.size()),
        RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_headers_destroy(headers);
      return internal::ToStatus(err, "producing a test record");
    }
  }
  return internal::ToStatus(rd_kafka_flush(producer->get(), 10'000), "flushing test records");
}

RawRecord RecordFor(const marketplace::v1::Event& event, int32_t partition, size_t event_count) {
  return RawRecord{.partition = partition,
                   .key = PartitionKey(event),
                   .value = event.SerializeAsString(),
                   .headers = {{"sequence", std::to_string(event.sequence())},
                               {"index", std::to_string(event.index())},
                               {"event_count", std::to_string(event_count)},
                               {"event_type", std::string(EventType(event))},
                               {"content-type", std::string(kContentTypeProtobuf)}}};
}

}  // namespace market::kafka::testing
