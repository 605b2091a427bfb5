// ClientRefs: the idempotency keys. A key is (participant, client_ref); the
// first sequence that used it is kept for good.
#include "matcher/internal/client_refs.h"

#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

namespace market::matcher::internal {
namespace {

TEST(ClientRefs, ANewKeyIsRecordedWithItsSequence) {
  ClientRefs refs;
  EXPECT_EQ(refs.FindOrAdd(1, "r1", 10), 0u);
  EXPECT_EQ(refs.Find(1, "r1"), 10u);
  EXPECT_EQ(refs.size(), 1u);
}

TEST(ClientRefs, ASeenKeyAnswersItsFirstSequenceAndKeepsIt) {
  ClientRefs refs;
  refs.FindOrAdd(1, "r1", 10);
  EXPECT_EQ(refs.FindOrAdd(1, "r1", 11), 10u);
  EXPECT_EQ(refs.Find(1, "r1"), 10u);
  EXPECT_EQ(refs.size(), 1u);
}

TEST(ClientRefs, TheSameClientRefOfAnotherParticipantIsAnotherKey) {
  ClientRefs refs;
  refs.FindOrAdd(1, "r1", 10);
  EXPECT_EQ(refs.FindOrAdd(2, "r1", 11), 0u);
  EXPECT_EQ(refs.Find(2, "r1"), 11u);
  EXPECT_EQ(refs.Find(3, "r1"), 0u);
}

TEST(ClientRefs, AMillionKeysAreAllFoundAfterTheIndexGrew) {
  ClientRefs refs;
  constexpr uint64_t kKeys = 1'000'000;
  for (uint64_t i = 1; i <= kKeys; ++i) {
    ASSERT_EQ(refs.FindOrAdd(static_cast<ParticipantId>(i % 7), "ref-" + std::to_string(i), i), 0u);
  }
  for (uint64_t i = 1; i <= kKeys; i += 997) {
    EXPECT_EQ(refs.Find(static_cast<ParticipantId>(i % 7), "ref-" + std::to_string(i)), i);
    EXPECT_EQ(refs.Find(static_cast<ParticipantId>((i + 1) % 7), "ref-" + std::to_string(i)), 0u);
  }
  EXPECT_EQ(refs.size(), kKeys);
}

TEST(ClientRefs, KeysAddedBeforeAndAfterAReserveAreAllFound) {
  ClientRefs refs;
  for (uint64_t i = 1; i <= 3000; ++i) ASSERT_EQ(refs.FindOrAdd(1, "a" + std::to_string(i), i), 0u);
  refs.Reserve(100000);
  for (uint64_t i = 3001; i <= 6000; ++i) {
    ASSERT_EQ(refs.FindOrAdd(1, "a" + std::to_string(i), i), 0u);
  }
  for (uint64_t i = 1; i <= 6000; ++i) EXPECT_EQ(refs.Find(1, "a" + std::to_string(i)), i);
  EXPECT_EQ(refs.FindOrAdd(1, "a1", 9999), 1u);
  EXPECT_EQ(refs.size(), 6000u);
}

TEST(ClientRefs, LongClientRefsAreKeptWhole) {
  ClientRefs refs;
  const std::string long_ref(128, 'x');
  refs.FindOrAdd(1, long_ref, 5);
  EXPECT_EQ(refs.Find(1, long_ref), 5u);
  EXPECT_EQ(refs.Find(1, std::string(127, 'x')), 0u);
}

TEST(ClientRefs, ForEachVisitsEveryKeyInTheOrderAdded) {
  ClientRefs refs;
  refs.FindOrAdd(2, "b", 1);
  refs.FindOrAdd(1, "a", 2);
  refs.FindOrAdd(2, "b", 3);  // a duplicate: not a new key
  std::vector<std::tuple<ParticipantId, std::string, uint64_t>> seen;
  refs.ForEach([&](ParticipantId p, std::string_view ref, uint64_t first) {
    seen.emplace_back(p, std::string(ref), first);
  });
  const std::vector<std::tuple<ParticipantId, std::string, uint64_t>> expected = {{2, "b", 1},
                                                                                  {1, "a", 2}};
  EXPECT_EQ(seen, expected);
}

}  // namespace
}  // namespace market::matcher::internal
