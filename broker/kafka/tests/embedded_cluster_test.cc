#include "broker/kafka/embedded_cluster.h"

#include <gtest/gtest.h>

#include "broker/kafka/tests/kafka_test_util.h"

namespace market::kafka {
namespace {

TEST(EmbeddedKafka, NeedsAtLeastOneBroker) {
  EXPECT_EQ(EmbeddedKafka::Start(0).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EmbeddedKafka, BootstrapListsEveryBrokerOnLoopback) {
  absl::StatusOr<std::unique_ptr<EmbeddedKafka>> kafka = EmbeddedKafka::Start(3);
  ASSERT_TRUE(kafka.ok()) << kafka.status();
  const std::string& servers = (*kafka)->bootstrap_servers();
  EXPECT_EQ(std::count(servers.begin(), servers.end(), ','), 2) << servers;
  EXPECT_EQ((*kafka)->broker_count(), 3);
}

TEST(EmbeddedKafka, CreateTopicChecksItsArguments) {
  absl::StatusOr<std::unique_ptr<EmbeddedKafka>> kafka = EmbeddedKafka::Start(2);
  ASSERT_TRUE(kafka.ok()) << kafka.status();
  EXPECT_EQ((*kafka)->CreateTopic("t", 0, 1).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ((*kafka)->CreateTopic("t", 3, 3).code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE((*kafka)->CreateTopic("t", 3, 2).ok());
  absl::StatusOr<std::vector<testing::Record>> records =
      testing::ConsumeAll((*kafka)->bootstrap_servers(), "t");
  ASSERT_TRUE(records.ok()) << records.status();
  EXPECT_TRUE(records->empty());
}

TEST(EmbeddedKafka, PartitionLeadersCanBePinned) {
  absl::StatusOr<std::unique_ptr<EmbeddedKafka>> kafka = EmbeddedKafka::Start(2);
  ASSERT_TRUE(kafka.ok()) << kafka.status();
  ASSERT_TRUE((*kafka)->CreateTopic("t", 2, 2).ok());
  EXPECT_TRUE((*kafka)->SetPartitionLeader("t", 1, 2).ok());
  EXPECT_FALSE((*kafka)->SetPartitionLeader("t", 5, 2).ok());
}

TEST(EmbeddedKafka, UnknownBrokerIdIsAnError) {
  absl::StatusOr<std::unique_ptr<EmbeddedKafka>> kafka = EmbeddedKafka::Start(1);
  ASSERT_TRUE(kafka.ok()) << kafka.status();
  EXPECT_FALSE((*kafka)->SetBrokerDown(7).ok());
  EXPECT_TRUE((*kafka)->SetBrokerDown(1).ok());
  EXPECT_TRUE((*kafka)->SetBrokerUp(1).ok());
}

}  // namespace
}  // namespace market::kafka
