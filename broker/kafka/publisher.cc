// The publisher thread. One Worker owns the producer and the delivery
// tracker; librdkafka's callbacks (delivery reports, errors, statistics) are
// served by rd_kafka_poll on that same thread, so the Worker's state needs no
// lock. The thread sleeps on the Publisher's condition variable and is woken
// by Notify, by Stop, and by librdkafka when a report is queued (a queue
// event callback on the main queue), with a 100 ms tick for housekeeping.
#include "broker/kafka/publisher.h"

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "broker/kafka/internal/delivery_tracker.h"
#include "broker/kafka/internal/lag_window.h"
#include "broker/kafka/internal/rdkafka_handle.h"
#include "broker/kafka/topic_contract.h"
#include "codec/json_lines.h"
#include "marketplace/v1/event.pb.h"

namespace market::kafka {
namespace {

static_assert(sizeof(uintptr_t) >= sizeof(uint64_t), "a sequence travels as the message opaque");

constexpr uint64_t kReadBatchSequences = 512;
constexpr absl::Duration kTick = absl::Milliseconds(100);
constexpr absl::Duration kCursorWriteInterval = absl::Milliseconds(10);
constexpr absl::Duration kMinBackoff = absl::Milliseconds(100);
constexpr absl::Duration kMaxBackoff = absl::Seconds(5);
constexpr absl::Duration kQueueFullWait = absl::Seconds(1);
constexpr absl::Duration kPurgeDrainTimeout = absl::Seconds(5);
constexpr absl::Duration kLagLogInterval = absl::Seconds(10);
constexpr absl::Duration kPercentileInterval = absl::Seconds(1);

struct TopicDeleter {
  void operator()(rd_kafka_topic_t* topic) const { rd_kafka_topic_destroy(topic); }
};
using TopicHandle = std::unique_ptr<rd_kafka_topic_t, TopicDeleter>;

uint64_t WallClockNanos() { return static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())); }

bool IsPurge(rd_kafka_resp_err_t err) {
  return err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT;
}

}  // namespace

// ---------------------------------------------------------------------------
// Worker: everything the publisher thread owns.

class Publisher::Worker {
 public:
  Worker(Publisher& owner, uint64_t cursor)
      : owner_(owner),
        tracker_(cursor),
        lags_(owner.options_.lag_window_events),
        persisted_cursor_(cursor) {}
  ~Worker() { DestroyProducer(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  absl::Status CreateProducer();
  void Run();

 private:
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  static void OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  static int OnStats(rd_kafka_t* rk, char* json, size_t json_len, void* opaque);
  static void OnQueueEvent(rd_kafka_t* rk, void* opaque);

  enum class Produced : uint8_t { kOk, kStop };

  bool WaitForWork();
  void Step();
  void ServeReports();
  void ProduceAvailable();
  Produced ProduceEntry(const storage::JournalEntry& entry);
  rd_kafka_resp_err_t ProduceOne(const marketplace::v1::Event& event, const std::string& value,
                                 size_t event_count);
  void RecoverFromFatal();
  void RewindAfterFailure();
  void DestroyProducer();
  void Shutdown();
  void PersistCursor(bool force);
  void PublishStats(bool final_snapshot = false);
  void MaybeLogLag();
  void Backoff();
  void RecordError(std::string error);

  Publisher& owner_;
  internal::DeliveryTracker tracker_;
  internal::LagWindow lags_;
  internal::KafkaHandle producer_;
  internal::QueueHandle main_queue_;
  TopicHandle topic_;
  bool accept_reports_ = true;

  uint64_t persisted_cursor_;
  absl::Time last_cursor_write_ = absl::InfinitePast();
  absl::Time retry_at_ = absl::InfinitePast();
  absl::Duration backoff_ = kMinBackoff;
  bool failure_logged_ = false;  // one warning per failed streak, not one per event
  absl::Time last_lag_log_ = absl::Now();

  uint64_t delivered_ = 0;
  uint64_t errors_ = 0;
  uint64_t recreations_ = 0;
  bool connected_ = false;
  std::string last_error_;
  absl::Time last_percentiles_ = absl::InfinitePast();
  bool new_lags_ = false;  // deliveries since the percentiles were computed
};

absl::Status Publisher::Worker::CreateProducer() {
  const PublisherOptions& options = owner_.options_;
  const size_t queue_messages =
      std::clamp<size_t>(options.max_in_flight_events * 2 + 10'000, 100'000, 10'000'000);
  std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options.brokers},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"message.timeout.ms", std::to_string(options.delivery_timeout_ms)},
      {"linger.ms", "5"},
      {"partitioner", "murmur2_random"},  // the Java client's: same key, same partition
      {"queue.buffering.max.messages", std::to_string(queue_messages)},
      {"reconnect.backoff.max.ms", "2000"},
      {"statistics.interval.ms", "1000"},
  };
  for (const auto& [key, value] : options.librdkafka_config) settings[key] = value;

  absl::StatusOr<internal::ConfHandle> conf = internal::MakeConf(settings, "marketd-publisher");
  if (!conf.ok()) return conf.status();
  rd_kafka_conf_set_opaque(conf->get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &Worker::OnDelivery);
  rd_kafka_conf_set_error_cb(conf->get(), &Worker::OnError);
  rd_kafka_conf_set_stats_cb(conf->get(), &Worker::OnStats);
  absl::StatusOr<internal::KafkaHandle> producer =
      internal::NewClient(RD_KAFKA_PRODUCER, *std::move(conf));
  if (!producer.ok()) return producer.status();

  rd_kafka_topic_t* topic = rd_kafka_topic_new(producer->get(), options.topic.c_str(), nullptr);
  if (topic == nullptr) {
    return internal::ToStatus(rd_kafka_last_error(), "topic " + options.topic);
  }
  topic_.reset(topic);
  producer_ = *std::move(producer);
  main_queue_.reset(rd_kafka_queue_get_main(producer_.get()));
  rd_kafka_queue_cb_event_enable(main_queue_.get(), &Worker::OnQueueEvent, &owner_);
  connected_ = false;
  return absl::OkStatus();
}

void Publisher::Worker::DestroyProducer() {
  if (producer_ == nullptr) return;
  // Whatever is still queued or in flight fails with a purge error; serve
  // those reports so the tracker's counts stay exact, then let go.
  rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  const absl::Time deadline = absl::Now() + kPurgeDrainTimeout;
  while (rd_kafka_outq_len(producer_.get()) > 0 && absl::Now() < deadline) {
    rd_kafka_poll(producer_.get(), 10);
  }
  ServeReports();
  accept_reports_ = false;  // nothing from the dying handle may touch the tracker
  rd_kafka_queue_cb_event_enable(main_queue_.get(), nullptr, nullptr);
  main_queue_.reset();
  topic_.reset();
  producer_.reset();
  accept_reports_ = true;
}

void Publisher::Worker::OnQueueEvent(rd_kafka_t* /*rk*/, void* opaque) {
  auto* owner = static_cast<Publisher*>(opaque);
  const absl::MutexLock lock(&owner->wake_mutex_);
  owner->wake_pending_ = true;
  owner->wake_.Signal();
}

void Publisher::Worker::OnDelivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* message,
                                   void* opaque) {
  auto* self = static_cast<Worker*>(opaque);
  if (!self->accept_reports_) return;
  const auto sequence = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(message->_private));
  const bool delivered = message->err == RD_KAFKA_RESP_ERR_NO_ERROR;
  const std::optional<uint64_t> timestamp = self->tracker_.OnReport(sequence, delivered);
  if (!timestamp.has_value()) return;  // from before a rewind
  if (delivered) {
    ++self->delivered_;
    self->connected_ = true;
    self->backoff_ = kMinBackoff;
    const auto lag_ns = static_cast<int64_t>(WallClockNanos() - *timestamp);
    self->lags_.Add(std::max<int64_t>(lag_ns, 0) / 1000);
    self->new_lags_ = true;
    return;
  }
  if (IsPurge(message->err)) return;  // our own doing: Stop or a producer re-creation
  ++self->errors_;
  std::string error = "delivery of sequence " + std::to_string(sequence) +
                      " failed: " + rd_kafka_err2str(message->err);
  if (!self->failure_logged_) {
    self->failure_logged_ = true;
    spdlog::warn("kafka publisher: {} (will re-send from sequence {})", error,
                 self->tracker_.cursor() + 1);
  }
  self->last_error_ = std::move(error);
}

void Publisher::Worker::OnError(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<Worker*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) self->connected_ = false;
  self->last_error_ = std::string(rd_kafka_err2name(code)) + ": " + reason;
  const bool noisy = code == RD_KAFKA_RESP_ERR__TRANSPORT ||
                     code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
                     code == RD_KAFKA_RESP_ERR__RESOLVE;
  if (noisy) {
    spdlog::debug("kafka publisher ({}): {}", rd_kafka_name(rk), self->last_error_);
  } else {
    spdlog::warn("kafka publisher ({}): {}", rd_kafka_name(rk), self->last_error_);
  }
}

int Publisher::Worker::OnStats(rd_kafka_t* /*rk*/, char* json, size_t json_len, void* opaque) {
  auto* self = static_cast<Worker*>(opaque);
  const nlohmann::json stats = nlohmann::json::parse(json, json + json_len, nullptr, false);
  if (stats.is_discarded() || !stats.contains("brokers")) return 0;
  bool up = false;
  for (const auto& broker : stats["brokers"]) {
    if (broker.value("state", "") == "UP") up = true;
  }
  self->connected_ = up;
  return 0;  // librdkafka frees `json`
}

void Publisher::Worker::ServeReports() {
  if (producer_ == nullptr) return;
  while (rd_kafka_poll(producer_.get(), 0) > 0) {
  }
}

bool Publisher::Worker::WaitForWork() {
  absl::Duration timeout = kTick;
  const absl::Time now = absl::Now();
  if (retry_at_ > now) timeout = std::min(timeout, retry_at_ - now);
  const absl::MutexLock lock(&owner_.wake_mutex_);
  if (!owner_.wake_pending_ && !owner_.stopping_) {
    owner_.wake_.WaitWithTimeout(&owner_.wake_mutex_, timeout);
  }
  owner_.wake_pending_ = false;
  return !owner_.stopping_;
}

void Publisher::Worker::Run() {
  spdlog::info("kafka publisher: topic {} at {}, resuming after sequence {}", owner_.options_.topic,
               owner_.options_.brokers, tracker_.cursor());
  while (WaitForWork()) Step();
  Shutdown();
}

void Publisher::Worker::Step() {
  if (owner_.inject_fatal_.exchange(false) && producer_ != nullptr) {
    rd_kafka_test_fatal_error(producer_.get(), RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
                              "triggered for testing");
  }
  ServeReports();
  RecoverFromFatal();
  if (producer_ == nullptr && absl::Now() >= retry_at_) {
    if (absl::Status created = CreateProducer(); !created.ok()) {
      RecordError("cannot re-create the producer: " + std::string(created.message()));
      Backoff();
    }
  }
  RewindAfterFailure();
  ProduceAvailable();
  tracker_.Advance();
  // Throttled while events flow; at once when everything handed over is in.
  PersistCursor(/*force=*/tracker_.pending_events() == 0);
  PublishStats();
  MaybeLogLag();
}

void Publisher::Worker::RecoverFromFatal() {
  if (producer_ == nullptr) return;
  std::array<char, 512> reason{};
  const rd_kafka_resp_err_t fatal =
      rd_kafka_fatal_error(producer_.get(), reason.data(), reason.size());
  if (fatal == RD_KAFKA_RESP_ERR_NO_ERROR) return;
  RecordError(std::string("fatal producer error ") + rd_kafka_err2name(fatal) + ": " +
              reason.data());
  DestroyProducer();
  tracker_.Advance();
  PersistCursor(/*force=*/true);
  tracker_.Reset();
  ++recreations_;
  spdlog::warn("kafka publisher: re-creating the producer; resuming after sequence {}",
               tracker_.cursor());
  if (absl::Status created = CreateProducer(); !created.ok()) {
    RecordError("cannot re-create the producer: " + std::string(created.message()));
    Backoff();
  }
}

void Publisher::Worker::RewindAfterFailure() {
  if (!tracker_.has_failure() || tracker_.pending_events() > 0) return;
  // Every report is in and some event failed: send again from the first
  // sequence not wholly delivered (what followed it is repeated).
  tracker_.Advance();
  tracker_.Reset();
  failure_logged_ = false;
  Backoff();
  spdlog::info("kafka publisher: re-sending from sequence {} in {}", tracker_.cursor() + 1,
               absl::FormatDuration(retry_at_ - absl::Now()));
}

void Publisher::Worker::Backoff() {
  retry_at_ = absl::Now() + backoff_;
  backoff_ = std::min(backoff_ * 2, kMaxBackoff);
}

void Publisher::Worker::ProduceAvailable() {
  if (producer_ == nullptr || tracker_.has_failure() || absl::Now() < retry_at_) return;
  const PublisherOptions& options = owner_.options_;
  const uint64_t last = owner_.journal_.last_sequence();
  bool stopped = false;
  while (!stopped && tracker_.next_sequence() <= last &&
         tracker_.pending_events() < options.max_in_flight_events) {
    const uint64_t from = tracker_.next_sequence();
    const uint64_t to = std::min(last, from + kReadBatchSequences - 1);
    const absl::Status read =
        owner_.journal_.Read(from, to, [&](const storage::JournalEntry& entry) {
          if (entry.sequence != tracker_.next_sequence()) {
            return absl::DataLossError("journal read returned sequence " +
                                       std::to_string(entry.sequence) + ", expected " +
                                       std::to_string(tracker_.next_sequence()));
          }
          if (ProduceEntry(entry) == Produced::kStop ||
              tracker_.pending_events() >= options.max_in_flight_events) {
            stopped = true;
            return absl::CancelledError("publisher pauses");  // not an error: stops the read
          }
          return absl::OkStatus();
        });
    if (stopped) break;
    if (!read.ok()) {
      RecordError("reading the journal from sequence " + std::to_string(tracker_.next_sequence()) +
                  ": " + read.ToString());
      Backoff();
      break;
    }
    if (tracker_.next_sequence() <= to) break;  // the journal returned less than it holds
  }
}

Publisher::Worker::Produced Publisher::Worker::ProduceEntry(const storage::JournalEntry& entry) {
  // Check every event before handing any over: a record that does not parse
  // or names another position is reported, never published or skipped.
  std::vector<marketplace::v1::Event> events(entry.events.size());
  for (size_t index = 0; index < entry.events.size(); ++index) {
    marketplace::v1::Event& event = events[index];
    if (!event.ParseFromString(entry.events[index]) || event.sequence() != entry.sequence ||
        event.index() != index) {
      RecordError("journaled event " + std::to_string(entry.sequence) + "." +
                  std::to_string(index) +
                  " is not an Event of that position; publishing stops before it");
      Backoff();
      return Produced::kStop;
    }
  }
  tracker_.Begin(events.empty() ? WallClockNanos() : events.front().timestamp_unix_nanos());
  const bool json = owner_.options_.format == PublisherOptions::Format::kJson;
  for (size_t index = 0; index < events.size(); ++index) {
    const std::string value = json ? codec::ToJson(events[index]) : std::string();
    const rd_kafka_resp_err_t err =
        ProduceOne(events[index], json ? value : entry.events[index], events.size());
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      tracker_.FailLast();
      ++errors_;
      RecordError("producing event " + std::to_string(entry.sequence) + "." +
                  std::to_string(index) + " failed: " + rd_kafka_err2str(err));
      return Produced::kStop;
    }
    tracker_.Produced();
  }
  return Produced::kOk;
}

rd_kafka_resp_err_t Publisher::Worker::ProduceOne(const marketplace::v1::Event& event,
                                                  const std::string& value, size_t event_count) {
  const std::string key = PartitionKey(event);
  const std::string sequence = std::to_string(event.sequence());
  const std::string index = std::to_string(event.index());
  const std::string count = std::to_string(event_count);
  const std::string type(EventType(event));
  const std::string_view content_type = owner_.options_.format == PublisherOptions::Format::kJson
                                            ? kContentTypeJson
                                            : kContentTypeProtobuf;
  auto* opaque = reinterpret_cast<void*>(static_cast<uintptr_t>(event.sequence()));
  const auto timestamp_ms = static_cast<int64_t>(event.timestamp_unix_nanos() / 1'000'000);

  const absl::Time give_up = absl::Now() + kQueueFullWait;
  while (true) {
    // The const_casts are librdkafka's C signature; with MSG_F_COPY it only reads.
    const rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_RKT(topic_.get()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_TIMESTAMP(timestamp_ms),
        RD_KAFKA_V_HEADER(kHeaderSequence.data(), sequence.data(),
                          static_cast<ssize_t>(sequence.size())),
        RD_KAFKA_V_HEADER(kHeaderIndex.data(), index.data(), static_cast<ssize_t>(index.size())),
        RD_KAFKA_V_HEADER(kHeaderEventCount.data(), count.data(),
                          static_cast<ssize_t>(count.size())),
        RD_KAFKA_V_HEADER(kHeaderEventType.data(), type.data(), static_cast<ssize_t>(type.size())),
        RD_KAFKA_V_HEADER(kHeaderContentType.data(), content_type.data(),
                          static_cast<ssize_t>(content_type.size())),
        RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    // The queue is sized above max_in_flight_events, so "full" is rare (a
    // byte limit); give librdkafka a moment to drain before calling it a failure.
    if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL || absl::Now() >= give_up) return err;
    rd_kafka_poll(producer_.get(), 10);
  }
}

void Publisher::Worker::PersistCursor(bool force) {
  const uint64_t cursor = tracker_.cursor();
  if (cursor <= persisted_cursor_) return;
  const absl::Time now = absl::Now();
  if (!force && now - last_cursor_write_ < kCursorWriteInterval) return;
  if (absl::Status written = owner_.journal_.WriteCursor(owner_.options_.cursor_name, cursor);
      !written.ok()) {
    RecordError("writing cursor " + owner_.options_.cursor_name + " = " + std::to_string(cursor) +
                ": " + written.ToString());
    return;
  }
  persisted_cursor_ = cursor;
  last_cursor_write_ = now;
}

void Publisher::Worker::PublishStats(bool final_snapshot) {
  // Percentiles sort a copy of the window: outside the lock, about once a second.
  std::optional<std::pair<int64_t, int64_t>> percentiles;
  const absl::Time now = absl::Now();
  if (new_lags_ && (final_snapshot || now - last_percentiles_ >= kPercentileInterval)) {
    percentiles.emplace(lags_.Percentile(50), lags_.Percentile(99));
    last_percentiles_ = now;
    new_lags_ = false;
  }
  const std::optional<uint64_t> oldest = tracker_.oldest_pending_timestamp_unix_nanos();
  const absl::MutexLock lock(&owner_.stats_mutex_);
  Stats& stats = owner_.stats_;
  stats.published_sequence = tracker_.cursor();
  stats.events_delivered = delivered_;
  stats.events_in_flight = tracker_.pending_events();
  stats.delivery_errors = errors_;
  stats.producer_recreations = recreations_;
  stats.connected = connected_;
  if (stats.last_error != last_error_) stats.last_error = last_error_;
  stats.oldest_unpublished_age_ms =
      oldest.has_value()
          ? std::max<int64_t>(static_cast<int64_t>(WallClockNanos() - *oldest), 0) / 1'000'000
          : 0;
  if (percentiles.has_value()) {
    stats.lag_us_p50 = percentiles->first;
    stats.lag_us_p99 = percentiles->second;
  }
}

void Publisher::Worker::MaybeLogLag() {
  const absl::Time now = absl::Now();
  if (now - last_lag_log_ < kLagLogInterval) return;
  last_lag_log_ = now;
  const uint64_t journal = owner_.journal_.last_sequence();
  if (journal <= tracker_.cursor()) return;
  const Stats stats = owner_.stats();
  if (stats.oldest_unpublished_age_ms < 1000 && producer_ != nullptr) return;
  spdlog::warn(
      "kafka publisher behind: journal at {}, published through {} ({} sequences), oldest "
      "unpublished {} ms, {} events in flight, connected={}, last error: {}",
      journal, tracker_.cursor(), journal - tracker_.cursor(), stats.oldest_unpublished_age_ms,
      tracker_.pending_events(), connected_, last_error_.empty() ? "none" : last_error_);
}

void Publisher::Worker::RecordError(std::string error) {
  spdlog::error("kafka publisher: {}", error);
  last_error_ = std::move(error);
}

void Publisher::Worker::Shutdown() {
  // Give outstanding deliveries a bounded chance, keep what they confirm.
  const absl::Time deadline =
      absl::Now() + absl::Milliseconds(std::max<int64_t>(owner_.options_.stop_flush_timeout_ms, 0));
  while (producer_ != nullptr && tracker_.pending_events() > 0 && absl::Now() < deadline) {
    rd_kafka_poll(producer_.get(), 20);
    ServeReports();
  }
  const uint64_t undelivered = tracker_.pending_events();
  DestroyProducer();
  tracker_.Advance();
  PersistCursor(/*force=*/true);
  PublishStats(/*final_snapshot=*/true);
  spdlog::info("kafka publisher stopped: published through sequence {} ({} events undelivered)",
               tracker_.cursor(), undelivered);
}

// ---------------------------------------------------------------------------
// Publisher: the controlling side.

Publisher::Publisher(storage::Journal& journal, PublisherOptions options)
    : journal_(journal), options_(std::move(options)) {}

Publisher::~Publisher() { Stop(); }

absl::Status Publisher::Start() {
  if (worker_ != nullptr || thread_.joinable()) {
    return absl::FailedPreconditionError("the Kafka publisher was already started");
  }
  if (options_.brokers.empty()) return absl::InvalidArgumentError("brokers: none given");
  if (options_.topic.empty()) return absl::InvalidArgumentError("topic: empty");
  if (options_.cursor_name.empty()) return absl::InvalidArgumentError("cursor_name: empty");
  if (options_.max_in_flight_events == 0) {
    return absl::InvalidArgumentError("max_in_flight_events: must be > 0");
  }
  if (options_.delivery_timeout_ms < 0) {
    return absl::InvalidArgumentError("delivery_timeout_ms: must be >= 0 (0 = never give up)");
  }
  absl::StatusOr<uint64_t> cursor = journal_.ReadCursor(options_.cursor_name);
  if (!cursor.ok()) return cursor.status();
  const uint64_t last = journal_.last_sequence();
  if (*cursor > last) {
    return absl::FailedPreconditionError(
        "cursor " + options_.cursor_name + " is at sequence " + std::to_string(*cursor) +
        " but the journal ends at " + std::to_string(last) +
        ": the topic holds events this journal does not (restored from an older backup?)");
  }
  auto worker = std::make_unique<Worker>(*this, *cursor);
  if (absl::Status created = worker->CreateProducer(); !created.ok()) return created;
  {
    const absl::MutexLock lock(&stats_mutex_);
    stats_.published_sequence = *cursor;
  }
  {
    const absl::MutexLock lock(&wake_mutex_);
    wake_pending_ = true;  // the first pass runs at once
    stopping_ = false;
  }
  worker_ = std::move(worker);
  thread_ = std::thread([this] { worker_->Run(); });
  return absl::OkStatus();
}

void Publisher::Stop() {
  {
    const absl::MutexLock lock(&wake_mutex_);
    stopping_ = true;
    wake_.Signal();
  }
  if (thread_.joinable()) thread_.join();
}

void Publisher::Notify() {
  const absl::MutexLock lock(&wake_mutex_);
  wake_pending_ = true;
  wake_.Signal();
}

void Publisher::TriggerFatalErrorForTesting() {
  inject_fatal_.store(true);
  Notify();
}

Publisher::Stats Publisher::stats() const {
  Stats stats;
  {
    const absl::MutexLock lock(&stats_mutex_);
    stats = stats_;
  }
  stats.journal_sequence = journal_.last_sequence();
  return stats;
}

}  // namespace market::kafka
