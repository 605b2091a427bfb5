// Engine::Prefetch: hints change nothing. An engine hinted about the commands
// to come (in the pipeline order, and in a wrong order: stale, repeated,
// commands that never come) emits the same events and reaches the same
// digest as one never hinted.
#include <vector>

#include <gtest/gtest.h>

#include "matcher/engine.h"
#include "matcher/tests/feedback_sink.h"
#include "matcher/tests/random_commands.h"
#include "matcher/tests/recording_sink.h"

namespace market::matcher::testing {
namespace {

std::vector<Command> Stream(uint64_t seed, int orders) {
  RandomCommandGenerator generator(seed);
  std::vector<Command> stream = generator.Setup();
  Engine engine;
  FeedbackSink feedback(generator);
  uint64_t seq = 0;
  for (const Command& c : stream) engine.Execute(++seq, c, feedback);
  for (int i = 0; i < orders; ++i) {
    stream.push_back(generator.Next());
    engine.Execute(++seq, stream.back(), feedback);
  }
  return stream;
}

TEST(Prefetch, HintsInPipelineOrderChangeNoEventAndNoDigest) {
  const std::vector<Command> stream = Stream(11, 20000);
  Engine plain;
  Engine hinted;
  RecordingSink plain_events;
  RecordingSink hinted_events;
  for (size_t k = 0; k < stream.size(); ++k) {
    if (k + 2 < stream.size()) hinted.Prefetch(stream[k + 2], Engine::PrefetchStage::kCodes);
    if (k + 1 < stream.size()) hinted.Prefetch(stream[k + 1], Engine::PrefetchStage::kState);
    plain.Execute(k + 1, stream[k], plain_events);
    hinted.Execute(k + 1, stream[k], hinted_events);
  }
  EXPECT_EQ(hinted_events.lines, plain_events.lines);
  EXPECT_EQ(hinted.StateDigest(), plain.StateDigest());
}

TEST(Prefetch, StaleRepeatedAndNeverExecutedHintsChangeNothing) {
  const std::vector<Command> stream = Stream(12, 5000);
  Engine plain;
  Engine hinted;
  RecordingSink plain_events;
  RecordingSink hinted_events;
  for (size_t k = 0; k < stream.size(); ++k) {
    hinted.Prefetch(stream[(k * 7919) % stream.size()], Engine::PrefetchStage::kState);
    hinted.Prefetch(stream[k], Engine::PrefetchStage::kState);
    hinted.Prefetch(stream[k], Engine::PrefetchStage::kCodes);
    plain.Execute(k + 1, stream[k], plain_events);
    hinted.Execute(k + 1, stream[k], hinted_events);
    hinted.Prefetch(stream[k], Engine::PrefetchStage::kState);  // already executed
  }
  EXPECT_EQ(hinted_events.lines, plain_events.lines);
  EXPECT_EQ(hinted.StateDigest(), plain.StateDigest());
}

TEST(Prefetch, HintsAboutMalformedCommandsChangeNothing) {
  Engine engine;
  const uint64_t before = engine.StateDigest();
  Command c;
  c.principal = "sponsor:";
  SubmitRequest bad_request;
  bad_request.role = std::string(200, 'x');
  bad_request.min_seniority = -3;
  bad_request.locations = {"", std::string(300, 'y')};
  c.body = bad_request;
  engine.Prefetch(c, Engine::PrefetchStage::kCodes);
  engine.Prefetch(c, Engine::PrefetchStage::kState);
  c.body = CancelRequest{"R99999999999999999999"};
  engine.Prefetch(c, Engine::PrefetchStage::kCodes);
  engine.Prefetch(c, Engine::PrefetchStage::kState);
  PublishOffer bad_offer;
  bad_offer.role = "CRA";
  bad_offer.seniority = 9;
  bad_offer.country = "??";
  bad_offer.hub = "??";
  c.body = bad_offer;
  engine.Prefetch(c, Engine::PrefetchStage::kCodes);
  engine.Prefetch(c, Engine::PrefetchStage::kState);
  EXPECT_EQ(engine.StateDigest(), before);
}

}  // namespace
}  // namespace market::matcher::testing
