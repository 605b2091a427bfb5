// MATCHING.md "Amend and cancel": who may change an order, which amends keep
// time priority, and what cancel and withdraw leave behind.
#include <gtest/gtest.h>

#include <string>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

class Amend : public MarketFixture {
 protected:
  PublishOffer OfferOf(int64_t fte_milli, int64_t rate) {
    PublishOffer o = Offer();
    o.fte_milli = fte_milli;
    o.rate = rate;
    return o;
  }
  SubmitRequest RequestOf(int64_t fte_milli, int64_t max_rate) {
    SubmitRequest r = Request();
    r.fte_milli = fte_milli;
    r.max_rate = max_rate;
    return r;
  }
};
using Cancel = Amend;

// ---- Amends that only lower the remaining FTE.

TEST_F(Amend, LoweringFteKeepsTimePriority) {
  const std::string first = Submit(RequestOf(1000, 5000));
  const std::string second = Submit(RequestOf(1000, 5000));
  EXPECT_EQ(Run(kS1, RequestAmend(first, 300, 0)), (Lines{Amended(first, 300, 5000, Seq(first))}));
  const std::string o = NextId('O');
  EXPECT_EQ(
      Run(kV1, OfferOf(1000, 4000)),
      (Lines{Accepted(o), Assigned(first, o, "300@4000 C1 rem 0/700"), Closed(first, "FILLED"),
             Assigned(second, o, "700@4000 C1 rem 300/0"), Closed(o, "EXHAUSTED")}));
}

TEST_F(Amend, LoweringOfferFteKeepsTimePriority) {
  const std::string first = Publish(OfferOf(1000, 4000));
  const std::string second = Publish(OfferOf(1000, 4000));
  EXPECT_EQ(Run(kV1, OfferAmend(first, 300, 0)), (Lines{Amended(first, 300, 4000, Seq(first))}));
  const std::string r = NextId('R');
  EXPECT_EQ(
      Run(kS1, RequestOf(1000, 5000)),
      (Lines{Accepted(r), Assigned(r, first, "300@4000 C1 rem 700/0"), Closed(first, "EXHAUSTED"),
             Assigned(r, second, "700@4000 C1 rem 0/300"), Closed(r, "FILLED")}));
}

TEST_F(Amend, LoweringFteDoesNotMatchAgainEvenWhenItNowCould) {
  SubmitRequest whole = RequestOf(1000, 5000);
  whole.min_slice_milli = 1000;
  const std::string r = Submit(whole);
  Publish(OfferOf(400, 4000));  // 400 < the slice: no fill
  ASSERT_TRUE(sink().fills.empty());
  // 400 is now all the request needs, but a decrease does not walk the book.
  EXPECT_EQ(Run(kS1, RequestAmend(r, 400, 0)), (Lines{Amended(r, 400, 5000, Seq(r))}));
}

TEST_F(Amend, AmendToTheSameValuesIsANoChangeAmend) {
  const std::string r = Submit(RequestOf(1000, 5000));
  EXPECT_EQ(Run(kS1, RequestAmend(r, 1000, 5000)), (Lines{Amended(r, 1000, 5000, Seq(r))}));
}

TEST_F(Amend, OfferAmendToTheSameValuesIsANoChangeAmend) {
  const std::string o = Publish(OfferOf(1000, 4000));
  EXPECT_EQ(Run(kV1, OfferAmend(o, 1000, 4000)), (Lines{Amended(o, 1000, 4000, Seq(o))}));
}

TEST_F(Amend, ZeroFieldsLeaveTheValuesUnchanged) {
  const std::string r = Submit(RequestOf(1000, 5000));
  EXPECT_EQ(Run(kS1, RequestAmend(r, 0, 0)), (Lines{Amended(r, 1000, 5000, Seq(r))}));
  const std::string o = Publish(OfferOf(700, 6000));
  EXPECT_EQ(Run(kV1, OfferAmend(o, 0, 0)), (Lines{Amended(o, 700, 6000, Seq(o))}));
}

TEST_F(Amend, FteIsTheNewRemainingNotANewTotal) {
  const std::string r = Submit(RequestOf(1000, 5000));
  Publish(OfferOf(400, 4000));  // 600 left
  ASSERT_EQ(sink().fills.size(), 1u);
  // 500 < 600 left: a decrease, priority kept.
  EXPECT_EQ(Run(kS1, RequestAmend(r, 500, 0)), (Lines{Amended(r, 500, 5000, Seq(r))}));
  // 800 > 500 left: a raise, priority lost.
  const uint64_t raise = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(r, 800, 0)), (Lines{Amended(r, 800, 5000, raise)}));
}

// ---- Any other amend is a cancel-replace.

TEST_F(Amend, RaisingFteLosesTimePriority) {
  const std::string first = Submit(RequestOf(1000, 5000));
  const std::string second = Submit(RequestOf(1000, 5000));
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(first, 1500, 0)), (Lines{Amended(first, 1500, 5000, amend)}));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(1000, 4000)),
            (Lines{Accepted(o), Assigned(second, o, "1000@4000 C1 rem 0/0"),
                   Closed(second, "FILLED"), Closed(o, "EXHAUSTED")}));
}

TEST_F(Amend, LoweringMaxRateLosesTimePriority) {
  const std::string first = Submit(RequestOf(1000, 5000));
  const std::string second = Submit(RequestOf(1000, 4900));
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(first, 0, 4900)), (Lines{Amended(first, 1000, 4900, amend)}));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(1000, 4000)),
            (Lines{Accepted(o), Assigned(second, o, "1000@4000 C1 rem 0/0"),
                   Closed(second, "FILLED"), Closed(o, "EXHAUSTED")}));
}

TEST_F(Amend, RaisingMaxRateLosesTimePriority) {
  const std::string first = Submit(RequestOf(1000, 4900));
  const std::string second = Submit(RequestOf(1000, 5000));
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(first, 0, 5000)), (Lines{Amended(first, 1000, 5000, amend)}));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(1000, 4000)),
            (Lines{Accepted(o), Assigned(second, o, "1000@4000 C1 rem 0/0"),
                   Closed(second, "FILLED"), Closed(o, "EXHAUSTED")}));
}

TEST_F(Amend, OfferRateChangeLosesTimePriority) {
  const std::string first = Publish(OfferOf(1000, 4000));
  const std::string second = Publish(OfferOf(1000, 3900));
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kV1, OfferAmend(first, 0, 3900)), (Lines{Amended(first, 1000, 3900, amend)}));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, 5000)),
            (Lines{Accepted(r), Assigned(r, second, "1000@3900 C1 rem 0/0"),
                   Closed(second, "EXHAUSTED"), Closed(r, "FILLED")}));
}

TEST_F(Amend, RaisingOfferFteLosesTimePriority) {
  const std::string first = Publish(OfferOf(1000, 4000));
  const std::string second = Publish(OfferOf(1000, 4000));
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kV1, OfferAmend(first, 1200, 0)), (Lines{Amended(first, 1200, 4000, amend)}));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, 5000)),
            (Lines{Accepted(r), Assigned(r, second, "1000@4000 C1 rem 0/0"),
                   Closed(second, "EXHAUSTED"), Closed(r, "FILLED")}));
}

TEST_F(Amend, AmendedRequestMatchesAgainAsIncoming) {
  const std::string r = Submit(RequestOf(1000, 5000));
  const std::string o = Publish(OfferOf(1000, 5500));
  ASSERT_TRUE(sink().fills.empty());
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(r, 0, 6000)),
            (Lines{Amended(r, 1000, 6000, amend), Assigned(r, o, "1000@5500 C1 rem 0/0"),
                   Closed(o, "EXHAUSTED"), Closed(r, "FILLED")}));
}

TEST_F(Amend, AmendedOfferMatchesAgainAsIncoming) {
  const std::string o = Publish(OfferOf(1000, 5500));
  const std::string r = Submit(RequestOf(600, 5000));
  ASSERT_TRUE(sink().fills.empty());
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kV1, OfferAmend(o, 0, 5000)),
            (Lines{Amended(o, 1000, 5000, amend), Assigned(r, o, "600@5000 C1 rem 0/400"),
                   Closed(r, "FILLED")}));
}

TEST_F(Amend, RaisedFteMatchesAgainAsIncoming) {
  PublishOffer sliced = OfferOf(1000, 4000);
  sliced.min_slice_milli = 800;
  const std::string o = Publish(sliced);
  const std::string r = Submit(RequestOf(500, 5000));  // 500 < the offer's slice
  ASSERT_TRUE(sink().fills.empty());
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(r, 800, 0)),
            (Lines{Amended(r, 800, 5000, amend), Assigned(r, o, "800@4000 C1 rem 0/200"),
                   Closed(r, "FILLED")}));
}

TEST_F(Amend, AmendBelowTheMinSliceIsAllowed) {
  SubmitRequest sliced = RequestOf(1000, 5000);
  sliced.min_slice_milli = 500;
  const std::string r = Submit(sliced);
  EXPECT_EQ(Run(kS1, RequestAmend(r, 200, 0)), (Lines{Amended(r, 200, 5000, Seq(r))}));
  // 200 < the slice of 500, but it is all the request needs.
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(1000, 4000)),
            (Lines{Accepted(o), Assigned(r, o, "200@4000 C1 rem 0/800"), Closed(r, "FILLED")}));
}

TEST_F(Amend, MinSliceStaysAsItWas) {
  SubmitRequest sliced = RequestOf(1000, 5000);
  sliced.min_slice_milli = 500;
  const std::string r = Submit(sliced);
  Run(kS1, RequestAmend(r, 800, 0));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(300, 4000)), (Lines{Accepted(o)}));  // 300 < 500 and < 800
}

TEST_F(Amend, AmendKeepsTheOrderId) {
  const std::string r = Submit(RequestOf(1000, 5000));
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(r, 2000, 5100)), (Lines{Amended(r, 2000, 5100, amend)}));
  EXPECT_EQ(Run(kS1, CancelRequest{r}), (Lines{Closed(r, "CANCELLED")}));
}

TEST_F(Amend, OfferAmendKeepsTheOrderId) {
  const std::string o = Publish(OfferOf(1000, 4000));
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kV1, OfferAmend(o, 2000, 4100)), (Lines{Amended(o, 2000, 4100, amend)}));
  EXPECT_EQ(Run(kV1, WithdrawOffer{o}), (Lines{Closed(o, "WITHDRAWN")}));
}

// ---- Amend rejections.

TEST_F(Amend, AmendOfAFilledRequestIsFailedPrecondition) {
  Publish(OfferOf(1000, 4000));
  const std::string r = Submit(RequestOf(1000, 5000));
  ASSERT_EQ(sink().lines.back(), Closed(r, "FILLED"));
  EXPECT_EQ(Run(kS1, RequestAmend(r, 500, 0)),
            (Lines{Rejected("FAILED_PRECONDITION", "request_id")}));
}

TEST_F(Amend, AmendOfACancelledRequestIsFailedPrecondition) {
  const std::string r = Submit(RequestOf(1000, 5000));
  Run(kS1, CancelRequest{r});
  EXPECT_EQ(Run(kS1, RequestAmend(r, 500, 0)),
            (Lines{Rejected("FAILED_PRECONDITION", "request_id")}));
}

TEST_F(Amend, AmendOfAnExhaustedOfferIsFailedPrecondition) {
  const std::string o = Publish(OfferOf(1000, 4000));
  Submit(RequestOf(1000, 5000));
  EXPECT_EQ(Run(kV1, OfferAmend(o, 500, 0)), (Lines{Rejected("FAILED_PRECONDITION", "offer_id")}));
}

TEST_F(Amend, AmendOfAnUnknownRequestIsNotFound) {
  EXPECT_EQ(Run(kS1, RequestAmend("R999", 500, 0)), (Lines{Rejected("NOT_FOUND", "request_id")}));
}

TEST_F(Amend, AmendOfAnUnknownOfferIsNotFound) {
  EXPECT_EQ(Run(kV1, OfferAmend("O999", 500, 0)), (Lines{Rejected("NOT_FOUND", "offer_id")}));
}

TEST_F(Amend, AmendOfAnotherSponsorsRequestIsPermissionDenied) {
  const std::string r = Submit(RequestOf(1000, 5000), kS2);
  EXPECT_EQ(Run(kS1, RequestAmend(r, 500, 0)),
            (Lines{Rejected("PERMISSION_DENIED", "request_id")}));
}

TEST_F(Amend, AmendOfAnotherVendorsOfferIsPermissionDenied) {
  const std::string o = Publish(OfferOf(1000, 4000), kV2);
  EXPECT_EQ(Run(kV1, OfferAmend(o, 500, 0)), (Lines{Rejected("PERMISSION_DENIED", "offer_id")}));
}

TEST_F(Amend, AmendOfAnotherSponsorsClosedRequestIsPermissionDenied) {
  const std::string r = Submit(RequestOf(1000, 5000), kS2);
  Run(kS2, CancelRequest{r});
  EXPECT_EQ(Run(kS1, RequestAmend(r, 500, 0)),
            (Lines{Rejected("PERMISSION_DENIED", "request_id")}));
}

TEST_F(Amend, RequestAmendOfAnOfferIdIsNotFound) {
  const std::string o = Publish(OfferOf(1000, 4000));
  EXPECT_EQ(Run(kS1, RequestAmend(o, 500, 0)), (Lines{Rejected("NOT_FOUND", "request_id")}));
  EXPECT_EQ(Run(kS1, RequestAmend("R" + std::to_string(Seq(o)), 500, 0)),
            (Lines{Rejected("NOT_FOUND", "request_id")}));
}

// ---- Cancel and withdraw.

TEST_F(Cancel, CancelClosesTheRestAndFillsStand) {
  UpsertContract c1 = Contract("C1", "S1", "V1");
  c1.max_fte_milli = 1000;
  Run(kAdmin, c1);
  Publish(OfferOf(400, 4000));
  const std::string r = Submit(RequestOf(1000, 5000));
  ASSERT_EQ(sink().fills.size(), 1u);
  EXPECT_EQ(Run(kS1, CancelRequest{r}), (Lines{Closed(r, "CANCELLED")}));
  EXPECT_EQ(engine().open_requests(), 0u);
  // The rest no longer trades.
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(1000, 4000)), (Lines{Accepted(o)}));
  // The 400 assigned still counts under C1's ceiling.
  const std::string r2 = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, 5000)),
            (Lines{Accepted(r2), Assigned(r2, o, "600@4000 C1 rem 400/400")}));
}

TEST_F(Cancel, WithdrawClosesTheRestAndFillsStand) {
  UpsertContract c1 = Contract("C1", "S1", "V1");
  c1.max_fte_milli = 1000;
  Run(kAdmin, c1);
  Submit(RequestOf(400, 5000));
  const std::string o = Publish(OfferOf(1000, 4000));
  ASSERT_EQ(sink().fills.size(), 1u);
  EXPECT_EQ(Run(kV1, WithdrawOffer{o}), (Lines{Closed(o, "WITHDRAWN")}));
  EXPECT_EQ(engine().open_offers(), 0u);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, 5000)), (Lines{Accepted(r)}));
  const std::string o2 = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(1000, 4000)),
            (Lines{Accepted(o2), Assigned(r, o2, "600@4000 C1 rem 400/400")}));
}

TEST_F(Cancel, CancelOfAClosedRequestIsFailedPrecondition) {
  const std::string r = Submit(RequestOf(1000, 5000));
  Run(kS1, CancelRequest{r});
  EXPECT_EQ(Run(kS1, CancelRequest{r}), (Lines{Rejected("FAILED_PRECONDITION", "request_id")}));
}

TEST_F(Cancel, CancelOfAnIocRequestIsFailedPrecondition) {
  SubmitRequest ioc = RequestOf(1000, 5000);
  ioc.time_in_force = kIoc;
  const std::string r = Submit(ioc);
  EXPECT_EQ(Run(kS1, CancelRequest{r}), (Lines{Rejected("FAILED_PRECONDITION", "request_id")}));
}

TEST_F(Cancel, WithdrawOfAClosedOfferIsFailedPrecondition) {
  const std::string o = Publish(OfferOf(1000, 4000));
  Submit(RequestOf(1000, 5000));
  EXPECT_EQ(Run(kV1, WithdrawOffer{o}), (Lines{Rejected("FAILED_PRECONDITION", "offer_id")}));
}

TEST_F(Cancel, CancelOfAnUnknownRequestIsNotFound) {
  EXPECT_EQ(Run(kS1, CancelRequest{"R999"}), (Lines{Rejected("NOT_FOUND", "request_id")}));
}

TEST_F(Cancel, WithdrawOfAnUnknownOfferIsNotFound) {
  EXPECT_EQ(Run(kV1, WithdrawOffer{"O999"}), (Lines{Rejected("NOT_FOUND", "offer_id")}));
}

TEST_F(Cancel, CancelOfAnotherSponsorsRequestIsPermissionDenied) {
  const std::string r = Submit(RequestOf(1000, 5000), kS2);
  EXPECT_EQ(Run(kS1, CancelRequest{r}), (Lines{Rejected("PERMISSION_DENIED", "request_id")}));
  EXPECT_EQ(engine().open_requests(), 1u);
}

TEST_F(Cancel, WithdrawOfAnotherVendorsOfferIsPermissionDenied) {
  const std::string o = Publish(OfferOf(1000, 4000), kV2);
  EXPECT_EQ(Run(kV1, WithdrawOffer{o}), (Lines{Rejected("PERMISSION_DENIED", "offer_id")}));
  EXPECT_EQ(engine().open_offers(), 1u);
}

TEST_F(Cancel, CancelByAVendorIsPermissionDeniedOnThePrincipal) {
  const std::string r = Submit(RequestOf(1000, 5000));
  EXPECT_EQ(Run(kV1, CancelRequest{r}), (Lines{Rejected("PERMISSION_DENIED", "principal")}));
}

TEST_F(Cancel, CancelRequestOfAnOfferIdIsNotFound) {
  const std::string o = Publish(OfferOf(1000, 4000));
  EXPECT_EQ(Run(kS1, CancelRequest{o}), (Lines{Rejected("NOT_FOUND", "request_id")}));
}

TEST_F(Cancel, CancelRequestOfAnOffersSequenceIsNotFound) {
  const std::string o = Publish(OfferOf(1000, 4000));
  EXPECT_EQ(Run(kS1, CancelRequest{"R" + std::to_string(Seq(o))}),
            (Lines{Rejected("NOT_FOUND", "request_id")}));
}

TEST_F(Cancel, WithdrawOfARequestIdIsNotFound) {
  const std::string r = Submit(RequestOf(1000, 5000));
  EXPECT_EQ(Run(kV1, WithdrawOffer{r}), (Lines{Rejected("NOT_FOUND", "offer_id")}));
  EXPECT_EQ(Run(kV1, WithdrawOffer{"O" + std::to_string(Seq(r))}),
            (Lines{Rejected("NOT_FOUND", "offer_id")}));
}

TEST_F(Cancel, IdOfAReferenceDataCommandIsNotFound) {
  EXPECT_EQ(Run(kS1, CancelRequest{"R1"}), (Lines{Rejected("NOT_FOUND", "request_id")}));
}

TEST_F(Cancel, NonCanonicalIdsAreNotFound) {
  const std::string r = Submit(RequestOf(1000, 5000));
  const std::string n = std::to_string(Seq(r));
  for (const std::string& id :
       {"R0" + n, "R+" + n, "r" + n, "R" + n + " ", " R" + n, "R" + n + ".0", "R-" + n,
        std::string("R"), std::string("R0"), "RR" + n}) {
    EXPECT_EQ(Run(kS1, CancelRequest{id}), (Lines{Rejected("NOT_FOUND", "request_id")})) << id;
  }
  EXPECT_EQ(Run(kS1, CancelRequest{r}), (Lines{Closed(r, "CANCELLED")}));
}

TEST_F(Cancel, EmptyRequestIdIsInvalidArgument) {
  EXPECT_EQ(Run(kS1, CancelRequest{""}), (Lines{Rejected("INVALID_ARGUMENT", "request_id")}));
}

TEST_F(Cancel, EmptyOfferIdIsInvalidArgument) {
  EXPECT_EQ(Run(kV1, WithdrawOffer{""}), (Lines{Rejected("INVALID_ARGUMENT", "offer_id")}));
}

TEST_F(Cancel, IdOver128BytesIsInvalidArgument) {
  EXPECT_EQ(Run(kS1, CancelRequest{"R" + std::string(128, '1')}),
            (Lines{Rejected("INVALID_ARGUMENT", "request_id")}));
}

}  // namespace
}  // namespace market::matcher::testing
