// MATCHING.md "Time in force": GTC rests, IOC closes its remainder, and IOC +
// all_or_none fills the whole request from a greedy dry run or nothing.
#include <gtest/gtest.h>

#include <string>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

class TimeInForce : public MarketFixture {
 protected:
  PublishOffer OfferOf(int64_t fte_milli, int64_t rate) {
    PublishOffer o = Offer();
    o.fte_milli = fte_milli;
    o.rate = rate;
    return o;
  }
  SubmitRequest RequestOf(int64_t fte_milli, int32_t tif, bool all_or_none = false) {
    SubmitRequest r = Request();
    r.fte_milli = fte_milli;
    r.time_in_force = tif;
    r.all_or_none = all_or_none;
    return r;
  }
};

TEST_F(TimeInForce, GtcRequestRestsWhatIsLeft) {
  const std::string o = Publish(OfferOf(400, 4000));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, kGtc)),
            (Lines{Accepted(r), Assigned(r, o, "400@4000 C1 rem 600/0"), Closed(o, "EXHAUSTED")}));
  EXPECT_EQ(engine().open_requests(), 1u);
  const std::string later = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(600, 4000)),
            (Lines{Accepted(later), Assigned(r, later, "600@4000 C1 rem 0/0"), Closed(r, "FILLED"),
                   Closed(later, "EXHAUSTED")}));
}

TEST_F(TimeInForce, UnspecifiedTimeInForceIsGtc) {
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, 0)), (Lines{Accepted(r)}));
  EXPECT_EQ(engine().open_requests(), 1u);
}

TEST_F(TimeInForce, GtcOfferRestsWhatIsLeft) {
  const std::string r = Submit(RequestOf(400, kGtc));
  PublishOffer offer = OfferOf(1000, 4000);
  offer.time_in_force = kGtc;
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, offer),
            (Lines{Accepted(o), Assigned(r, o, "400@4000 C1 rem 0/600"), Closed(r, "FILLED")}));
  EXPECT_EQ(engine().open_offers(), 1u);
}

TEST_F(TimeInForce, IocRequestRemainderIsClosed) {
  const std::string o = Publish(OfferOf(400, 4000));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, kIoc)),
            (Lines{Accepted(r), Assigned(r, o, "400@4000 C1 rem 600/0"), Closed(o, "EXHAUSTED"),
                   Closed(r, "IOC_REMAINDER")}));
  EXPECT_EQ(engine().open_requests(), 0u);
}

TEST_F(TimeInForce, IocRequestWithoutAnyFillClosesAtOnce) {
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, kIoc)), (Lines{Accepted(r), Closed(r, "IOC_REMAINDER")}));
  EXPECT_EQ(engine().open_requests(), 0u);
}

TEST_F(TimeInForce, IocRequestFullyFilledClosesFilled) {
  const std::string o = Publish(OfferOf(1000, 4000));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, kIoc)),
            (Lines{Accepted(r), Assigned(r, o, "1000@4000 C1 rem 0/0"), Closed(o, "EXHAUSTED"),
                   Closed(r, "FILLED")}));
}

TEST_F(TimeInForce, IocOfferRemainderIsClosed) {
  const std::string r = Submit(RequestOf(400, kGtc));
  PublishOffer offer = OfferOf(1000, 4000);
  offer.time_in_force = kIoc;
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, offer), (Lines{Accepted(o), Assigned(r, o, "400@4000 C1 rem 0/600"),
                                    Closed(r, "FILLED"), Closed(o, "IOC_REMAINDER")}));
  EXPECT_EQ(engine().open_offers(), 0u);
}

TEST_F(TimeInForce, IocOfferFullyFilledClosesExhausted) {
  const std::string r = Submit(RequestOf(1000, kGtc));
  PublishOffer offer = OfferOf(1000, 4000);
  offer.time_in_force = kIoc;
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, offer), (Lines{Accepted(o), Assigned(r, o, "1000@4000 C1 rem 0/0"),
                                    Closed(r, "FILLED"), Closed(o, "EXHAUSTED")}));
}

TEST_F(TimeInForce, AllOrNoneFillsTheWholeRequest) {
  const std::string a = Publish(OfferOf(600, 4000));
  const std::string b = Publish(OfferOf(600, 4100));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, kIoc, true)),
            (Lines{Accepted(r), Assigned(r, a, "600@4000 C1 rem 400/0"), Closed(a, "EXHAUSTED"),
                   Assigned(r, b, "400@4100 C1 rem 0/200"), Closed(r, "FILLED")}));
}

TEST_F(TimeInForce, AllOrNoneThatCannotFillMakesNoFill) {
  const std::string o = Publish(OfferOf(600, 4000));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, kIoc, true)), (Lines{Accepted(r), Closed(r, "AON_UNFILLED")}));
  EXPECT_EQ(engine().open_requests(), 0u);
  // The offer kept all of its 600.
  const std::string next = NextId('R');
  EXPECT_EQ(
      Run(kS1, RequestOf(1000, kGtc)),
      (Lines{Accepted(next), Assigned(next, o, "600@4000 C1 rem 400/0"), Closed(o, "EXHAUSTED")}));
}

// The worked example aon_and_ceiling: the dry run carries the contract's
// headroom from one candidate to the next, like the real walk.
TEST_F(TimeInForce, AllOrNoneDryRunCarriesContractHeadroom) {
  UpsertContract c2 = Contract("C2", "S1", "V2");
  c2.max_fte_milli = 1000;
  Run(kAdmin, c2);
  Publish(OfferOf(600, 4000), kV2);
  Publish(OfferOf(600, 4100), kV2);
  // Each offer fits the ceiling alone, but together only 1000 of 1200 do.
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1200, kIoc, true)), (Lines{Accepted(r), Closed(r, "AON_UNFILLED")}));
  // Nothing was used: 1000 still fits.
  const std::string ok = NextId('R');
  Run(kS1, RequestOf(1000, kIoc, true));
  EXPECT_EQ(sink().lines.back(), Closed(ok, "FILLED"));
}

TEST_F(TimeInForce, AllOrNoneDryRunCarriesVendorsUsed) {
  Publish(OfferOf(600, 4000), kV1);
  Publish(OfferOf(600, 4100), kV2);
  SubmitRequest req = RequestOf(1000, kIoc, true);
  req.max_vendors = 1;
  // 600 from V1, then V2 would be a second vendor.
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req), (Lines{Accepted(r), Closed(r, "AON_UNFILLED")}));
}

// The plan is the greedy walk; no other combination is searched for, even
// when one would fill the request.
TEST_F(TimeInForce, AllOrNoneDoesNotSearchForAnotherCombination) {
  Publish(OfferOf(600, 4000), kV1);
  Publish(OfferOf(1000, 4100), kV2);  // alone, this one would fill it
  SubmitRequest req = RequestOf(1000, kIoc, true);
  req.max_vendors = 1;
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req), (Lines{Accepted(r), Closed(r, "AON_UNFILLED")}));
}

TEST_F(TimeInForce, AllOrNoneDoesNotSearchPastAHeadroomSplit) {
  UpsertContract c1 = Contract("C1", "S1", "V1");
  c1.max_fte_milli = 1000;
  Run(kAdmin, c1);
  Publish(OfferOf(600, 4000), kV1);
  PublishOffer whole = OfferOf(1000, 4100);  // alone, this one would fill it
  whole.min_slice_milli = 1000;
  Publish(whole, kV1);
  // Greedy: 600, then the 400 of headroom left is below the second offer's
  // slice.
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000, kIoc, true)), (Lines{Accepted(r), Closed(r, "AON_UNFILLED")}));
}

TEST_F(TimeInForce, AllOrNoneWithGtcIsInvalidArgument) {
  EXPECT_EQ(Run(kS1, RequestOf(1000, kGtc, true)),
            (Lines{Rejected("INVALID_ARGUMENT", "all_or_none")}));
}

TEST_F(TimeInForce, AllOrNoneWithUnspecifiedTimeInForceIsInvalidArgument) {
  EXPECT_EQ(Run(kS1, RequestOf(1000, 0, true)),
            (Lines{Rejected("INVALID_ARGUMENT", "all_or_none")}));
}

}  // namespace
}  // namespace market::matcher::testing
