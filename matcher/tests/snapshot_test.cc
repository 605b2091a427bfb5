// Engine::Snapshot / Engine::Restore: a restored engine has the same digest
// and answers every later command exactly as the original does.
#include <gtest/gtest.h>

#include "matcher/engine.h"
#include "matcher/tests/feedback_sink.h"
#include "matcher/tests/random_commands.h"
#include "matcher/tests/recording_sink.h"

namespace market::matcher::testing {
namespace {

void ExpectRestoredEngineBehavesTheSame(uint64_t seed) {
  RandomCommandGenerator generator(seed);
  std::vector<Command> stream = generator.Setup();
  Engine original;
  FeedbackSink feedback(generator);
  uint64_t seq = 0;
  for (const Command& c : stream) original.Execute(++seq, c, feedback);
  std::unique_ptr<Engine> restored;
  for (int round = 0; round < 8; ++round) {
    auto copy = Engine::Restore(original.Snapshot());
    ASSERT_TRUE(copy.ok()) << copy.status();
    restored = std::move(*copy);
    ASSERT_EQ(restored->StateDigest(), original.StateDigest())
        << "seed " << seed << " round " << round;
    ASSERT_EQ(restored->last_sequence(), original.last_sequence());
    for (int i = 0; i < 400; ++i) {
      const Command c = generator.Next();
      ++seq;
      feedback.lines.Clear();
      original.Execute(seq, c, feedback);
      RecordingSink other;
      restored->Execute(seq, c, other);
      ASSERT_EQ(other.lines, feedback.lines.lines) << "seed " << seed << " sequence " << seq;
    }
    ASSERT_EQ(restored->StateDigest(), original.StateDigest()) << "seed " << seed;
  }
}

TEST(Snapshot, RestoredEngineAnswersLikeTheOriginal) {
  for (uint64_t seed = 1; seed <= 6; ++seed) ExpectRestoredEngineBehavesTheSame(seed);
}

TEST(Snapshot, EqualStatesGiveEqualSnapshots) {
  RandomCommandGenerator generator(42);
  Engine engine;
  RecordingSink sink;
  uint64_t seq = 0;
  for (const Command& c : generator.Setup()) engine.Execute(++seq, c, sink);
  for (int i = 0; i < 2000; ++i) engine.Execute(++seq, generator.Next(), sink);
  auto copy = Engine::Restore(engine.Snapshot());
  ASSERT_TRUE(copy.ok());
  const EngineSnapshot a = engine.Snapshot();
  const EngineSnapshot b = (*copy)->Snapshot();
  EXPECT_EQ(a.requests.size(), b.requests.size());
  EXPECT_EQ(a.offers.size(), b.offers.size());
  EXPECT_EQ(a.closed.size(), b.closed.size());
  EXPECT_EQ(a.client_refs.size(), b.client_refs.size());
  EXPECT_EQ((*copy)->StateDigest(), engine.StateDigest());
}

TEST(Snapshot, RestoreRefusesUnknownCodes) {
  EngineSnapshot snapshot;
  snapshot.locations.push_back({2, "MX", "LATAM"});
  EXPECT_EQ(Engine::Restore(snapshot).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace market::matcher::testing
