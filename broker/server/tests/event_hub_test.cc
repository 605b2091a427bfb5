// EventHub: live fan-out with bounded subscriber queues.
#include "broker/server/event_hub.h"

#include <gtest/gtest.h>

#include <vector>

namespace market::server {
namespace {

namespace pb = marketplace::v1;

std::vector<pb::Event> Events(uint64_t sequence, int count) {
  std::vector<pb::Event> events(count);
  for (int i = 0; i < count; ++i) {
    events[i].set_sequence(sequence);
    events[i].set_index(i);
  }
  return events;
}

TEST(EventHubTest, SubscribeReportsTheTailAndQueuesOnlyLaterEvents) {
  EventHub hub(5);
  EventHub::Subscribed subscribed = hub.Subscribe(nullptr, 10);
  EXPECT_EQ(subscribed.tail, 5u);
  hub.OnGroupDurable(6, Events(6, 2));
  std::shared_ptr<const pb::Event> event;
  ASSERT_EQ(subscribed.subscription->Next(std::chrono::milliseconds(0), &event),
            Subscription::Wait::kEvent);
  EXPECT_EQ(event->sequence(), 6u);
  EXPECT_EQ(hub.last_sequence(), 6u);
}

TEST(EventHubTest, FilterDropsEventsItRejects) {
  EventHub hub(0);
  auto subscribed = hub.Subscribe([](const pb::Event& e) { return e.index() == 1; }, 10);
  hub.OnGroupDurable(1, Events(1, 3));
  std::shared_ptr<const pb::Event> event;
  ASSERT_EQ(subscribed.subscription->Next(std::chrono::milliseconds(0), &event),
            Subscription::Wait::kEvent);
  EXPECT_EQ(event->index(), 1u);
  EXPECT_EQ(subscribed.subscription->Next(std::chrono::milliseconds(0), &event),
            Subscription::Wait::kTimeout);
}

TEST(EventHubTest, ASubscriberBeyondItsCapacityIsCutOff) {
  EventHub hub(0);
  auto subscribed = hub.Subscribe(nullptr, 2);
  hub.OnGroupDurable(1, Events(1, 3));
  std::shared_ptr<const pb::Event> event;
  EXPECT_EQ(subscribed.subscription->Next(std::chrono::milliseconds(0), &event),
            Subscription::Wait::kOverflowed);
}

TEST(EventHubTest, CloseAllEndsSubscriptionsAfterTheirQueuedEvents) {
  EventHub hub(0);
  auto subscribed = hub.Subscribe(nullptr, 10);
  hub.OnGroupDurable(1, Events(1, 1));
  hub.CloseAll();
  std::shared_ptr<const pb::Event> event;
  EXPECT_EQ(subscribed.subscription->Next(std::chrono::milliseconds(0), &event),
            Subscription::Wait::kEvent);
  EXPECT_EQ(subscribed.subscription->Next(std::chrono::milliseconds(0), &event),
            Subscription::Wait::kClosed);
}

TEST(EventHubTest, UnsubscribedQueuesReceiveNothing) {
  EventHub hub(0);
  auto subscribed = hub.Subscribe(nullptr, 10);
  hub.Unsubscribe(subscribed.subscription);
  EXPECT_EQ(hub.subscribers(), 0u);
  hub.OnGroupDurable(1, Events(1, 1));
  std::shared_ptr<const pb::Event> event;
  EXPECT_EQ(subscribed.subscription->Next(std::chrono::milliseconds(0), &event),
            Subscription::Wait::kTimeout);
}

}  // namespace
}  // namespace market::server
