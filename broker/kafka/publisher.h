// Publisher: the journal as an outbox. A thread of its own reads journaled
// events after the journal cursor and produces each one to the event topic
// with an idempotent producer; the cursor moves only over sequences whose
// every event Kafka acknowledged.
//
//   Append (sequencer)       Publisher thread                 Kafka
//   journal ── Notify() ──▶  Read(cursor+1 ..) ── produce ──▶ topic
//      ▲                            │  ◀── delivery reports ──┘
//      └──── WriteCursor(S) ◀───────┘  S: every event of every sequence <= S delivered
//
// Guarantees (docs/KAFKA.md has the consumer's side):
//  - At-least-once: every journaled event reaches the topic; after a failed
//    delivery, a fatal producer error or a restart, publishing resumes at
//    cursor + 1 and may repeat events. Consumers drop repeats by
//    (sequence, index).
//  - Kafka being down or slow never blocks the appender: Notify() only wakes
//    the thread; the journal keeps growing and stats() shows the lag.
//  - Memory is bounded: at most max_in_flight_events (plus one command's
//    events) are handed to librdkafka and not yet acknowledged.
//
// Thread safety: Start and Stop from one controlling thread; Notify and stats
// from any thread. The journal is borrowed and must outlive the Publisher
// (Stop joins the thread, the destructor calls Stop). Identity type.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "storage/journal.h"

namespace market::kafka {

struct PublisherOptions {
  enum class Format : uint8_t {
    kProtobuf,  // value = the Event's protobuf bytes as journaled
    kJson,      // value = the Event's canonical JSON (codec::ToJson)
  };

  std::string brokers;  // bootstrap servers, "host:port,..."
  std::string topic = "marketplace.events";
  Format format = Format::kProtobuf;
  std::string cursor_name = "kafka";  // the journal cursor ("cursor/kafka")
  // librdkafka message.timeout.ms: how long the producer retries one event
  // before reporting it failed (the publisher then re-sends from the cursor).
  // 0 = never give up: a Kafka outage only delays events, it never reorders them.
  int64_t delivery_timeout_ms = 0;
  // Events handed to librdkafka and not yet acknowledged; reading the journal
  // pauses at this bound (backpressure while Kafka is slow or down).
  size_t max_in_flight_events = 100'000;
  // How long Stop waits for outstanding deliveries before dropping them (they
  // stay after the cursor and are sent again on the next start).
  int64_t stop_flush_timeout_ms = 5'000;
  // Delivery lags kept for stats().lag_us_p50/p99: the most recent this many.
  size_t lag_window_events = 65'536;
  // Extra librdkafka properties, applied last (they override the defaults
  // above: security.protocol, sasl.*, linger.ms, ...).
  std::map<std::string, std::string> librdkafka_config;
};

class Publisher {
 public:
  struct Stats {
    uint64_t journal_sequence = 0;      // the journal's last_sequence()
    uint64_t published_sequence = 0;    // the cursor: everything up to it is in Kafka
    uint64_t events_delivered = 0;      // successful delivery reports since Start
    uint64_t events_in_flight = 0;      // produced, report pending
    uint64_t delivery_errors = 0;       // failed delivery reports and refused produces
    uint64_t producer_recreations = 0;  // after fatal producer errors
    bool connected = false;             // a broker connection is up (librdkafka stats, ~1 s)
    // Publish lag = delivery report time - event timestamp_unix_nanos (both
    // wall clock), over the last lag_window_events deliveries; recomputed
    // about once a second (and at Stop).
    int64_t lag_us_p50 = 0;
    int64_t lag_us_p99 = 0;
    // Age of the oldest event handed to the producer and not yet delivered;
    // grows while Kafka is down (the percentiles above only see deliveries).
    int64_t oldest_unpublished_age_ms = 0;
    std::string last_error;  // the latest error, "" when none yet
  };

  // `journal` is borrowed for the Publisher's lifetime.
  Publisher(storage::Journal& journal, PublisherOptions options);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;
  Publisher(Publisher&&) = delete;
  Publisher& operator=(Publisher&&) = delete;

  // Reads the cursor, creates the producer and starts the thread. Does not
  // wait for Kafka: an unreachable cluster is reported through stats(), not
  // here. INVALID_ARGUMENT for bad options or librdkafka properties;
  // FAILED_PRECONDITION when the cursor is beyond the journal's end (a journal
  // restored from an older backup) or when already started.
  [[nodiscard]] absl::Status Start();

  // Stops the thread: waits up to stop_flush_timeout_ms for outstanding
  // deliveries, writes the cursor, destroys the producer. Idempotent.
  void Stop();

  // New groups were appended: wake the thread. Never blocks on Kafka.
  void Notify();

  // A snapshot the thread refreshes on every pass (the lag percentiles about
  // once a second); cheap enough to call often.
  Stats stats() const;

  // Raises a fabricated fatal producer error (rd_kafka_test_fatal_error) on
  // the publisher thread, to exercise producer re-creation in tests.
  void TriggerFatalErrorForTesting();

 private:
  class Worker;  // the thread's state: producer, delivery tracker

  storage::Journal& journal_;
  const PublisherOptions options_;

  mutable absl::Mutex wake_mutex_;
  absl::CondVar wake_;
  bool wake_pending_ ABSL_GUARDED_BY(wake_mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(wake_mutex_) = false;
  std::atomic<bool> inject_fatal_{false};

  mutable absl::Mutex stats_mutex_;
  Stats stats_ ABSL_GUARDED_BY(stats_mutex_);  // the thread's latest snapshot

  std::unique_ptr<Worker> worker_;  // created by Start, used only by thread_
  std::thread thread_;
};

}  // namespace market::kafka
