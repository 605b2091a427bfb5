// DeliveryTracker: which journaled sequences the publisher has handed to the
// producer and which of their events Kafka has acknowledged, so that the
// cursor only ever names a sequence whose events, and every earlier
// sequence's events, were all delivered.
//
//   cursor  next_sequence
//     |          |
//   ..5 | 6  7  8 | 9 ..        6, 7, 8 in flight: begun, some reports pending
//       delivered                7 may finish before 6; the cursor waits for 6
//
// Delivery reports arrive in any order across partitions. A failed report
// marks its sequence failed: the cursor cannot pass it, and the publisher
// rewinds to cursor + 1 once no report is pending (re-sending what followed:
// duplicates, which consumers drop by (sequence, index)).
//
// Invariants: cursor < every tracked sequence < next_sequence; tracked
// sequences are exactly cursor+1 .. next_sequence-1; pending_events() is the
// sum of the tracked sequences' outstanding reports.
//
// Not thread-safe: the publisher thread owns it (delivery reports are served
// on that thread by rd_kafka_poll).
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace market::kafka::internal {

class DeliveryTracker {
 public:
  // Every sequence <= `cursor` is delivered; the next to begin is cursor + 1.
  explicit DeliveryTracker(uint64_t cursor) : cursor_(cursor), next_sequence_(cursor + 1) {}

  // Starts tracking next_sequence() (its timestamp feeds oldest_pending_*).
  // A sequence with no events is delivered as soon as it reaches the front.
  void Begin(uint64_t timestamp_unix_nanos);
  // One more event of the last begun sequence went to the producer.
  void Produced();
  // The last begun sequence could not be handed over whole.
  void FailLast();

  // A delivery report for one event of `sequence`: the sequence's timestamp,
  // or nullopt when it is not tracked (a report from before a Reset), which
  // the caller ignores.
  std::optional<uint64_t> OnReport(uint64_t sequence, bool delivered);

  // Moves the cursor over the delivered prefix; returns the new cursor.
  uint64_t Advance();

  // Forgets everything after the cursor; next_sequence() becomes cursor + 1.
  // Only after every report is in (pending_events() == 0) or the producer that
  // would send them is gone.
  void Reset();

  uint64_t cursor() const { return cursor_; }
  uint64_t next_sequence() const { return next_sequence_; }
  uint64_t pending_events() const { return pending_events_; }
  bool has_failure() const { return failures_ > 0; }
  // The timestamp of the oldest sequence not yet delivered, if any is tracked.
  std::optional<uint64_t> oldest_pending_timestamp_unix_nanos() const;

 private:
  struct InFlight {
    uint64_t timestamp_unix_nanos = 0;
    uint32_t pending = 0;
    bool failed = false;
  };

  uint64_t cursor_;
  uint64_t next_sequence_;
  uint64_t pending_events_ = 0;
  uint64_t failures_ = 0;  // tracked sequences marked failed
  std::map<uint64_t, InFlight> in_flight_;
};

}  // namespace market::kafka::internal
