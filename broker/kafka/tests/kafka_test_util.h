// Helpers shared by the Kafka tests: synthetic journal content whose events
// are real serialized marketplace.v1.Event protos, a raw consumer that returns
// every record of a topic with its partition, offset, key and headers, a
// wait-with-deadline, and a temporary directory.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "marketplace/v1/event.pb.h"
#include "storage/journal.h"

namespace market::kafka::testing {

using EventId = std::pair<uint64_t, uint32_t>;  // (sequence, index)

// Event `index` of command `sequence`: index 0 accepts an order (a request for
// odd sequences, an offer for even ones), later indices are fills and closes.
marketplace::v1::Event MakeEvent(uint64_t sequence, uint32_t index, uint64_t timestamp_unix_nanos);

// Entries first .. first+count-1; entry s has s % 4 events (so some have none),
// timestamped now.
std::vector<storage::JournalEntry> MakeEntries(uint64_t first, size_t count);

// Appends `count` entries after the journal's end in groups of `group_size`.
absl::Status AppendEntries(storage::Journal& journal, size_t count, size_t group_size = 16);

// Every (sequence, index) the journal holds, in order.
std::vector<EventId> JournalEvents(const storage::Journal& journal);

struct Record {
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  std::map<std::string, std::string> headers;
  int64_t timestamp_ms = 0;
  EventId id() const;  // from the headers
};

// Every record of `topic` up to the high watermarks at the call, per
// partition in offset order (partitions one after another).
absl::StatusOr<std::vector<Record>> ConsumeAll(const std::string& brokers, const std::string& topic,
                                               absl::Duration timeout = absl::Seconds(15));

// Distinct (sequence, index) of `records`, sorted.
std::vector<EventId> Dedupe(const std::vector<Record>& records);

// True when, in every partition, each record's (sequence, index) is new and
// greater than every earlier one (no repeats, no reordering).
bool StrictlyOrderedPerPartition(const std::vector<Record>& records);
// True when, in every partition, the first copies of events appear in
// (sequence, index) order (repeats allowed).
bool FirstCopiesOrderedPerPartition(const std::vector<Record>& records);

// Polls `done` every 10 ms until it holds or `timeout` passes.
bool WaitFor(const std::function<bool()>& done, absl::Duration timeout);

// A fresh directory removed with its contents.
class ScopedTempDir {
 public:
  ScopedTempDir();
  ~ScopedTempDir();
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  std::string Sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace market::kafka::testing

namespace market::kafka::testing {

// One record to write with ProduceRecords.
struct RawRecord {
  int32_t partition = 0;
  std::string key;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
};

// Writes `records` in order with a plain (non-idempotent) producer and waits
// for every delivery.
absl::Status ProduceRecords(const std::string& brokers, const std::string& topic,
                            const std::vector<RawRecord>& records);

// The record the publisher would write for `event` (protobuf, all headers).
RawRecord RecordFor(const marketplace::v1::Event& event, int32_t partition, size_t event_count);

}  // namespace market::kafka::testing
