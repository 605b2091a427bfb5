// Engine::StateDigest (MATCHING_NOTES.md "State digest"): equal streams give
// equal digests, every accepted change changes the digest, and rejected or
// duplicate commands change no state.
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

using Digest = MarketFixture;

TEST_F(Digest, EqualStreamsGiveEqualDigests) {
  Publish(Offer(), kV1);
  SubmitRequest r = Request();
  r.fte_milli = 1500;
  Submit(r);
  Run(kS1, CancelRequest{"R1"});  // a rejection
  EXPECT_EQ(engine().StateDigest(), ReplayDigest());
}

TEST_F(Digest, StreamsDifferingInOneFieldGiveDifferentDigests) {
  Publish(Offer(), kV1);
  Submit(Request());
  std::vector<Command> other = log();
  std::get<SubmitRequest>(other.back().body).fte_milli = 999;
  EXPECT_EQ(DigestOf(log()), engine().StateDigest());
  EXPECT_NE(DigestOf(other), engine().StateDigest());
}

TEST_F(Digest, SubmitChangesTheDigest) {
  Submit(Request());
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, PublishChangesTheDigest) {
  Publish(Offer());
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, IocRequestThatClosesAtOnceChangesTheDigest) {
  SubmitRequest r = Request();
  r.time_in_force = kIoc;
  Submit(r);  // no fill, closed: its id and client_ref remain
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, FillChangesTheDigest) {
  Publish(Offer());
  SubmitRequest r = Request();
  r.fte_milli = 400;
  Submit(r);
  ASSERT_EQ(sink().fills.size(), 1u);
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, AmendChangesTheDigest) {
  const std::string r = Submit(Request());
  Run(kS1, RequestAmend(r, 500, 0));
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, NoChangeAmendChangesTheDigestThroughItsClientRef) {
  const std::string r = Submit(Request());
  Run(kS1, RequestAmend(r, 0, 0));
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, CancelChangesTheDigest) {
  const std::string r = Submit(Request());
  Run(kS1, CancelRequest{r});
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, WithdrawChangesTheDigest) {
  const std::string o = Publish(Offer());
  Run(kV1, WithdrawOffer{o});
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, RoleRenameChangesTheDigest) {
  Run(kAdmin, DefineRole{"CTA", "Renamed", "Clinical operations"});
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, LocationMoveChangesTheDigest) {
  Run(kAdmin, Location(kCountry, "BR", "EU"));
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, ParticipantRenameChangesTheDigest) {
  Run(kAdmin, UpsertParticipant{"V3", kVendor, "Renamed"});
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, ContractCeilingChangeChangesTheDigest) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.max_fte_milli = 5000;
  Run(kAdmin, c);
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, ContractDeactivationChangesTheDigest) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.active = false;
  Run(kAdmin, c);
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, RateCardPatchChangesTheDigest) {
  Run(kAdmin, PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000)}, {}});
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, RateCardValueChangeChangesTheDigest) {
  Run(kAdmin, PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000)}, {}});
  Run(kAdmin, PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3001)}, {}});
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Digest, RejectedCommandChangesNoState) {
  Publish(Offer());
  SubmitRequest r = Request();
  r.time_in_force = 9;
  Run(kS1, r);
  ASSERT_EQ(outcome().kind, Outcome::Kind::kRejected);
  EXPECT_FALSE(LastCommandChangedState());
}

TEST_F(Digest, DuplicateChangesNoState) {
  SubmitRequest r = Request();
  Submit(r);
  Run(kS1, r);
  ASSERT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_FALSE(LastCommandChangedState());
}

// The digest covers the engine's position (last sequence) as well as its
// state, so that a replayed or restored engine proves it stopped at the same
// command. A rejected command changes nothing else (see the twin tests above).
TEST_F(Digest, IncludesTheLastSequence) {
  Publish(Offer());
  const uint64_t before = engine().StateDigest();
  Run(kS1, CancelRequest{"R999"});
  ASSERT_EQ(outcome().kind, Outcome::Kind::kRejected);
  EXPECT_NE(engine().StateDigest(), before);
}

}  // namespace
}  // namespace market::matcher::testing
