#include "broker/kafka/internal/delivery_tracker.h"

#include <cassert>

namespace market::kafka::internal {

void DeliveryTracker::Begin(uint64_t timestamp_unix_nanos) {
  in_flight_.emplace_hint(in_flight_.end(), next_sequence_,
                          InFlight{.timestamp_unix_nanos = timestamp_unix_nanos});
  ++next_sequence_;
}

void DeliveryTracker::Produced() {
  assert(!in_flight_.empty());
  ++in_flight_.rbegin()->second.pending;
  ++pending_events_;
}

void DeliveryTracker::FailLast() {
  assert(!in_flight_.empty());
  InFlight& last = in_flight_.rbegin()->second;
  if (!last.failed) ++failures_;
  last.failed = true;
}

std::optional<uint64_t> DeliveryTracker::OnReport(uint64_t sequence, bool delivered) {
  const auto found = in_flight_.find(sequence);
  if (found == in_flight_.end() || found->second.pending == 0) return std::nullopt;
  --found->second.pending;
  --pending_events_;
  if (!delivered && !found->second.failed) {
    found->second.failed = true;
    ++failures_;
  }
  return found->second.timestamp_unix_nanos;
}

uint64_t DeliveryTracker::Advance() {
  while (!in_flight_.empty()) {
    const auto front = in_flight_.begin();
    if (front->second.pending > 0 || front->second.failed) break;
    cursor_ = front->first;
    in_flight_.erase(front);
  }
  return cursor_;
}

void DeliveryTracker::Reset() {
  in_flight_.clear();
  pending_events_ = 0;
  failures_ = 0;
  next_sequence_ = cursor_ + 1;
}

std::optional<uint64_t> DeliveryTracker::oldest_pending_timestamp_unix_nanos() const {
  if (in_flight_.empty()) return std::nullopt;
  return in_flight_.begin()->second.timestamp_unix_nanos;
}

}  // namespace market::kafka::internal
