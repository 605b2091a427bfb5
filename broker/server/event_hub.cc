#include "broker/server/event_hub.h"

#include <algorithm>

namespace market::server {

namespace pb = marketplace::v1;

Subscription::Wait Subscription::Next(std::chrono::milliseconds timeout,
                                      std::shared_ptr<const pb::Event>* event) {
  std::unique_lock lock(mutex_);
  ready_.wait_for(lock, timeout, [&] { return overflowed_ || closed_ || !queue_.empty(); });
  if (overflowed_) return Wait::kOverflowed;
  if (!queue_.empty()) {
    *event = std::move(queue_.front());
    queue_.pop_front();
    return Wait::kEvent;
  }
  return closed_ ? Wait::kClosed : Wait::kTimeout;
}

void Subscription::Offer(const std::shared_ptr<const pb::Event>& event) {
  if (filter_ && !filter_(*event)) return;
  {
    const std::lock_guard lock(mutex_);
    if (overflowed_ || closed_) return;
    if (queue_.size() >= capacity_) {
      overflowed_ = true;
      queue_.clear();
    } else {
      queue_.push_back(event);
    }
  }
  ready_.notify_one();
}

void Subscription::Close() {
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_one();
}

EventHub::Subscribed EventHub::Subscribe(Subscription::Filter filter, size_t capacity) {
  auto subscription = std::make_shared<Subscription>(std::move(filter), capacity);
  const std::lock_guard lock(mutex_);
  subscriptions_.push_back(subscription);
  return Subscribed{subscription, last_sequence_};
}

void EventHub::Unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  const std::lock_guard lock(mutex_);
  std::erase(subscriptions_, subscription);
}

uint64_t EventHub::last_sequence() const {
  const std::lock_guard lock(mutex_);
  return last_sequence_;
}

size_t EventHub::subscribers() const {
  const std::lock_guard lock(mutex_);
  return subscriptions_.size();
}

void EventHub::CloseAll() {
  const std::lock_guard lock(mutex_);
  for (const auto& subscription : subscriptions_) subscription->Close();
}

void EventHub::OnGroupDurable(uint64_t last_sequence, std::span<const pb::Event> events) {
  const std::lock_guard lock(mutex_);
  last_sequence_ = last_sequence;
  if (subscriptions_.empty()) return;
  for (const pb::Event& event : events) {
    const auto shared = std::make_shared<const pb::Event>(event);
    for (const auto& subscription : subscriptions_) subscription->Offer(shared);
  }
}

}  // namespace market::server
