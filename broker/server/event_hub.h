// EventHub: fans every durable group's events out to live subscribers.
//
// Each Subscription has a bounded queue. A subscriber that falls further
// behind than its capacity is cut off (overflowed) instead of growing memory;
// its stream then ends with RESOURCE_EXHAUSTED and the client resumes from the
// journal with a new call. Subscribe() returns the hub's tail at the moment of
// subscribing: every event after it will be queued, every event up to it is in
// the journal, so a catch-up read of the journal up to the tail followed by
// the queue has no gap and no duplicate.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "broker/server/sequencer.h"
#include "marketplace/v1/event.pb.h"

namespace market::server {

class Subscription {
 public:
  using Filter = std::function<bool(const marketplace::v1::Event&)>;

  Subscription(Filter filter, size_t capacity) : filter_(std::move(filter)), capacity_(capacity) {}

  enum class Wait { kEvent, kTimeout, kOverflowed, kClosed };
  // Waits up to `timeout` for the next event.
  Wait Next(std::chrono::milliseconds timeout,
            std::shared_ptr<const marketplace::v1::Event>* event);

 private:
  friend class EventHub;
  // Hub side: queue what passes the filter; false once overflowed or closed.
  void Offer(const std::shared_ptr<const marketplace::v1::Event>& event);
  void Close();

  const Filter filter_;
  const size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::shared_ptr<const marketplace::v1::Event>> queue_;
  bool overflowed_ = false;
  bool closed_ = false;
};

class EventHub final : public GroupListener {
 public:
  explicit EventHub(uint64_t last_sequence) : last_sequence_(last_sequence) {}

  struct Subscribed {
    std::shared_ptr<Subscription> subscription;
    uint64_t tail = 0;  // events after this sequence go to the subscription
  };
  Subscribed Subscribe(Subscription::Filter filter, size_t capacity);
  void Unsubscribe(const std::shared_ptr<Subscription>& subscription);
  uint64_t last_sequence() const;
  size_t subscribers() const;
  // Ends every subscription (shutdown).
  void CloseAll();

  void OnGroupDurable(uint64_t last_sequence,
                      std::span<const marketplace::v1::Event> events) override;

 private:
  mutable std::mutex mutex_;
  uint64_t last_sequence_;
  std::vector<std::shared_ptr<Subscription>> subscriptions_;
};

}  // namespace market::server
