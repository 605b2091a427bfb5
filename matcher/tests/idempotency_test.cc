// MATCHING.md "Identity and idempotency": sequence numbers and client_ref.
#include <gtest/gtest.h>

#include <string>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

using Idempotency = MarketFixture;

TEST_F(Idempotency, DuplicateSubmitEmitsNoEventAndChangesNothing) {
  SubmitRequest req = Request();
  req.client_ref = "same";
  const std::string r = Submit(req);
  req.fte_milli = 2000;  // the content does not matter
  EXPECT_EQ(Run(kS1, req), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcome().original_sequence, Seq(r));
  EXPECT_EQ(outcome().event_count, 0u);
  EXPECT_FALSE(LastCommandChangedState());
  EXPECT_EQ(engine().open_requests(), 1u);
}

TEST_F(Idempotency, DuplicatePublishEmitsNoEventAndChangesNothing) {
  PublishOffer offer = Offer();
  offer.client_ref = "same";
  const std::string o = Publish(offer);
  EXPECT_EQ(Run(kV1, offer), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcome().original_sequence, Seq(o));
  EXPECT_FALSE(LastCommandChangedState());
  EXPECT_EQ(engine().open_offers(), 1u);
}

TEST_F(Idempotency, DuplicateThatWouldHaveMatchedMakesNoFill) {
  SubmitRequest req = Request();
  req.client_ref = "same";
  const std::string r = Submit(req);
  Run(kS1, CancelRequest{r});
  Publish(Offer());  // rests: nothing to trade with
  EXPECT_EQ(Run(kS1, req), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(engine().open_offers(), 1u);
}

TEST_F(Idempotency, DuplicateOfAnOrderThatHasSinceClosedIsStillADuplicate) {
  SubmitRequest req = Request();
  req.client_ref = "same";
  req.time_in_force = kIoc;
  const std::string r = Submit(req);  // closed at once
  EXPECT_EQ(Run(kS1, req), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcome().original_sequence, Seq(r));
}

TEST_F(Idempotency, DuplicateAmendIsNotAppliedAgain) {
  const std::string r = Submit(Request());
  AmendRequest lower = RequestAmend(r, 600, 0);
  Run(kS1, lower);
  const uint64_t first = next_sequence() - 1;
  const uint64_t raise = next_sequence();
  Run(kS1, RequestAmend(r, 900, 0));  // remaining 900, priority `raise`
  lower.fte_milli = 300;
  EXPECT_EQ(Run(kS1, lower), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcome().original_sequence, first);
  EXPECT_EQ(Run(kS1, RequestAmend(r, 0, 0)), (Lines{Amended(r, 900, 5000, raise)}));
}

TEST_F(Idempotency, DuplicateTakesASequenceNumber) {
  SubmitRequest req = Request();
  req.client_ref = "same";
  Submit(req);
  const uint64_t duplicate = next_sequence();
  Run(kS1, req);
  EXPECT_EQ(engine().last_sequence(), duplicate);
  EXPECT_EQ(Run(kS1, Request()), (Lines{"RequestAccepted R" + std::to_string(duplicate + 1)}));
}

TEST_F(Idempotency, RejectedCommandTakesASequenceNumber) {
  const uint64_t rejected = next_sequence();
  SubmitRequest bad = Request();
  bad.fte_milli = 0;
  Run(kS1, bad);
  EXPECT_EQ(engine().last_sequence(), rejected);
  EXPECT_EQ(Run(kS1, Request()), (Lines{"RequestAccepted R" + std::to_string(rejected + 1)}));
}

TEST_F(Idempotency, SubmitAndAmendShareOneNamespace) {
  SubmitRequest req = Request();
  req.client_ref = "shared";
  const std::string r = Submit(req);
  EXPECT_EQ(Run(kS1, AmendRequest{r, "shared", 500, 0}), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcome().original_sequence, Seq(r));
}

TEST_F(Idempotency, AmendAndSubmitShareOneNamespace) {
  const std::string r = Submit(Request());
  Run(kS1, AmendRequest{r, "shared", 500, 0});
  const uint64_t amend = next_sequence() - 1;
  SubmitRequest req = Request();
  req.client_ref = "shared";
  EXPECT_EQ(Run(kS1, req), (Lines{}));
  EXPECT_EQ(outcome().original_sequence, amend);
}

TEST_F(Idempotency, PublishAndAmendOfferShareOneNamespace) {
  PublishOffer offer = Offer();
  offer.client_ref = "shared";
  const std::string o = Publish(offer);
  EXPECT_EQ(Run(kV1, AmendOffer{o, "shared", 500, 0}), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
  EXPECT_EQ(outcome().original_sequence, Seq(o));
}

TEST_F(Idempotency, TwoSponsorsMayUseTheSameRef) {
  SubmitRequest req = Request();
  req.client_ref = "same";
  Submit(req, kS1);
  Submit(req, kS2);
  EXPECT_EQ(engine().open_requests(), 2u);
}

TEST_F(Idempotency, ASponsorAndAVendorMayUseTheSameRef) {
  SubmitRequest req = Request();
  req.client_ref = "same";
  req.max_rate = 100;  // no trade
  Submit(req, kS1);
  PublishOffer offer = Offer();
  offer.client_ref = "same";
  Publish(offer, kV1);
  EXPECT_EQ(engine().open_requests(), 1u);
  EXPECT_EQ(engine().open_offers(), 1u);
}

TEST_F(Idempotency, RejectedCommandsRefIsNotRemembered) {
  SubmitRequest req = Request();
  req.client_ref = "retry";
  req.fte_milli = 0;
  EXPECT_EQ(Run(kS1, req), (Lines{Rejected("INVALID_ARGUMENT", "fte_milli")}));
  req.fte_milli = 1000;
  Submit(req);
  EXPECT_EQ(outcome().kind, Outcome::Kind::kApplied);
}

TEST_F(Idempotency, RejectedAmendsRefIsNotRemembered) {
  const std::string r = Submit(Request());
  EXPECT_EQ(Run(kS1, AmendRequest{r, "retry", -1, 0}),
            (Lines{Rejected("INVALID_ARGUMENT", "fte_milli")}));
  EXPECT_EQ(Run(kS1, AmendRequest{r, "retry", 500, 0}), (Lines{Amended(r, 500, 5000, Seq(r))}));
}

TEST_F(Idempotency, NoChangeAmendUsesUpItsRef) {
  const std::string r = Submit(Request());
  EXPECT_EQ(Run(kS1, AmendRequest{r, "once", 0, 0}), (Lines{Amended(r, 1000, 5000, Seq(r))}));
  EXPECT_TRUE(LastCommandChangedState());
  EXPECT_EQ(Run(kS1, AmendRequest{r, "once", 500, 0}), (Lines{}));
  EXPECT_EQ(outcome().kind, Outcome::Kind::kDuplicate);
}

TEST_F(Idempotency, ClientRefsCompareByteForByte) {
  SubmitRequest req = Request();
  req.client_ref = "ref";
  Submit(req);
  req.client_ref = "REF";
  Submit(req);
  req.client_ref = "ref ";
  Submit(req);
  EXPECT_EQ(engine().open_requests(), 3u);
}

TEST_F(Idempotency, OrderIdsComeFromTheAcceptingSequence) {
  Run(kS1, CancelRequest{"R1"});  // rejected, but takes sequence 18
  const uint64_t seq = next_sequence();
  EXPECT_EQ(Run(kS1, Request()), (Lines{"RequestAccepted R" + std::to_string(seq)}));
  EXPECT_EQ(Run(kV1,
                [&] {
                  PublishOffer o = Offer();
                  o.rate = 9000;
                  return o;
                }()),
            (Lines{"OfferAccepted O" + std::to_string(seq + 1)}));
}

}  // namespace
}  // namespace market::matcher::testing
