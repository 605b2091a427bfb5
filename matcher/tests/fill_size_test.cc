// MATCHING.md "Fill size": q = min(request remaining, offer remaining,
// contract headroom), then the min slices and the blend limit; a pair that
// fails is skipped and the walk goes on.
#include <gtest/gtest.h>

#include <string>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

class FillSize : public MarketFixture {
 protected:
  void SetCeiling(const std::string& id, const std::string& sponsor, const std::string& vendor,
                  int64_t max_fte_milli) {
    UpsertContract c = Contract(id, sponsor, vendor);
    c.max_fte_milli = max_fte_milli;
    ASSERT_EQ(Run(kAdmin, c), (Lines{"ContractUpserted"}));
  }
  PublishOffer OfferOf(int64_t fte_milli, int64_t rate) {
    PublishOffer o = Offer();
    o.fte_milli = fte_milli;
    o.rate = rate;
    return o;
  }
  SubmitRequest RequestOf(int64_t fte_milli) {
    SubmitRequest r = Request();
    r.fte_milli = fte_milli;
    return r;
  }
};

TEST_F(FillSize, RequestRemainingLimitsTheFill) {
  const std::string o = Publish(OfferOf(1000, 4000));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(700)),
            (Lines{Accepted(r), Assigned(r, o, "700@4000 C1 rem 0/300"), Closed(r, "FILLED")}));
}

TEST_F(FillSize, OfferRemainingLimitsTheFill) {
  const std::string o = Publish(OfferOf(400, 4000));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, o, "400@4000 C1 rem 600/0"), Closed(o, "EXHAUSTED")}));
}

TEST_F(FillSize, ContractHeadroomLimitsTheFill) {
  SetCeiling("C1", "S1", "V1", 300);
  const std::string o = Publish(OfferOf(1000, 4000));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, o, "300@4000 C1 rem 700/700")}));
}

// Request min slice.
TEST_F(FillSize, RequestMinSliceSkipsASmallerFill) {
  Publish(OfferOf(300, 4000));
  SubmitRequest req = RequestOf(1000);
  req.min_slice_milli = 500;
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req), (Lines{Accepted(r)}));
}

TEST_F(FillSize, RequestMinSliceAllowsAFillOfExactlyTheSlice) {
  const std::string o = Publish(OfferOf(500, 4000));
  SubmitRequest req = RequestOf(1000);
  req.min_slice_milli = 500;
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req),
            (Lines{Accepted(r), Assigned(r, o, "500@4000 C1 rem 500/0"), Closed(o, "EXHAUSTED")}));
}

TEST_F(FillSize, RequestMinSliceGivesWayToAFillThatCompletesTheRequest) {
  const std::string big = Publish(OfferOf(600, 4000));
  const std::string rest = Publish(OfferOf(1000, 4100));
  SubmitRequest req = RequestOf(1000);
  req.min_slice_milli = 500;
  const std::string r = NextId('R');
  // 400 < 500, but it is all the request still needs.
  EXPECT_EQ(Run(kS1, req),
            (Lines{Accepted(r), Assigned(r, big, "600@4000 C1 rem 400/0"), Closed(big, "EXHAUSTED"),
                   Assigned(r, rest, "400@4100 C1 rem 0/600"), Closed(r, "FILLED")}));
}

// The worked example min_slice.
TEST_F(FillSize, RequestMinSliceSkipsAndTheWalkGoesOn) {
  Publish(OfferOf(300, 100), kV2);  // 300 < the slice: skipped
  const std::string b = Publish(OfferOf(600, 200), kV2);
  const std::string c = Publish(OfferOf(400, 300), kV2);
  SubmitRequest req = RequestOf(1000);
  req.max_rate = 9000;
  req.min_slice_milli = 500;
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req), (Lines{Accepted(r), Assigned(r, b, "600@200 C2 rem 400/0"),
                                  Closed(b, "EXHAUSTED"), Assigned(r, c, "400@300 C2 rem 0/0"),
                                  Closed(c, "EXHAUSTED"), Closed(r, "FILLED")}));
}

// Offer min slice.
TEST_F(FillSize, OfferMinSliceSkipsASmallerFill) {
  PublishOffer offer = OfferOf(1000, 4000);
  offer.min_slice_milli = 600;
  Publish(offer);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(500)), (Lines{Accepted(r)}));
}

TEST_F(FillSize, OfferMinSliceGivesWayToAFillThatEmptiesTheOffer) {
  PublishOffer offer = OfferOf(1000, 4000);
  offer.min_slice_milli = 600;
  const std::string o = Publish(offer);
  Submit(RequestOf(600));
  ASSERT_EQ(sink().fills.size(), 1u);
  // 400 < 600, but it is all the offer still has.
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, o, "400@4000 C1 rem 600/0"), Closed(o, "EXHAUSTED")}));
}

TEST_F(FillSize, OfferMinSliceAppliesToAnIncomingOffer) {
  Submit(RequestOf(500));
  PublishOffer offer = OfferOf(1000, 4000);
  offer.min_slice_milli = 600;
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, offer), (Lines{Accepted(o)}));
}

// Blend limit.
TEST_F(FillSize, BlendLimitCountsDistinctVendors) {
  const std::string a = Publish(OfferOf(300, 4000), kV1);
  const std::string b = Publish(OfferOf(300, 4100), kV1);
  const std::string c = Publish(OfferOf(300, 4200), kV2);
  Publish(OfferOf(300, 4300), kV3);  // a third vendor: skipped
  SubmitRequest req = RequestOf(1200);
  req.max_vendors = 2;
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req),
            (Lines{Accepted(r), Assigned(r, a, "300@4000 C1 rem 900/0"), Closed(a, "EXHAUSTED"),
                   Assigned(r, b, "300@4100 C1 rem 600/0"), Closed(b, "EXHAUSTED"),
                   Assigned(r, c, "300@4200 C2 rem 300/0"), Closed(c, "EXHAUSTED")}));
}

TEST_F(FillSize, BlendLimitKeepsAllowingVendorsAlreadyUsed) {
  SubmitRequest req = RequestOf(1000);
  req.max_vendors = 1;
  const std::string r = Submit(req);
  Publish(OfferOf(400, 4000), kV1);
  ASSERT_EQ(sink().fills.size(), 1u);
  Publish(OfferOf(600, 3000), kV2);  // a second vendor: no fill
  EXPECT_TRUE(sink().fills.empty());
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(600, 4000)), (Lines{Accepted(o), Assigned(r, o, "600@4000 C1 rem 0/0"),
                                                 Closed(r, "FILLED"), Closed(o, "EXHAUSTED")}));
}

TEST_F(FillSize, BlendLimitCountsFillsMadeBeforeAnAmend) {
  SubmitRequest req = RequestOf(1000);
  req.max_vendors = 1;
  const std::string r = Submit(req);
  Publish(OfferOf(400, 4000), kV1);  // fills 400 from V1
  ASSERT_EQ(sink().fills.size(), 1u);
  Publish(OfferOf(1000, 3000), kV2);  // V2 would be a second vendor
  ASSERT_TRUE(sink().fills.empty());

  // Raising the FTE makes the request incoming again; V1 still counts.
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(r, 1000, 0)), (Lines{Amended(r, 1000, 5000, amend)}));
}

// Contract ceiling.
TEST_F(FillSize, HeadroomIsSharedByTheFillsOfOneWalk) {
  SetCeiling("C2", "S1", "V2", 1000);
  const std::string a = Publish(OfferOf(600, 4000), kV2);
  const std::string b = Publish(OfferOf(600, 4100), kV2);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1500)),
            (Lines{Accepted(r), Assigned(r, a, "600@4000 C2 rem 900/0"), Closed(a, "EXHAUSTED"),
                   Assigned(r, b, "400@4100 C2 rem 500/200")}));
}

TEST_F(FillSize, HeadroomIsSharedByTheFillsOfAnIncomingOffer) {
  SetCeiling("C2", "S1", "V2", 1000);
  const std::string a = Submit(RequestOf(600));
  const std::string b = Submit(RequestOf(600));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV2, OfferOf(1500, 4000)),
            (Lines{Accepted(o), Assigned(a, o, "600@4000 C2 rem 0/900"), Closed(a, "FILLED"),
                   Assigned(b, o, "400@4000 C2 rem 200/500")}));
}

TEST_F(FillSize, HeadroomCarriesAcrossCommands) {
  SetCeiling("C2", "S1", "V2", 1000);
  const std::string o = Publish(OfferOf(2000, 4000), kV2);
  Submit(RequestOf(600));
  ASSERT_EQ(sink().fills.size(), 1u);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, o, "400@4000 C2 rem 600/1000")}));
  const std::string none = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)), (Lines{Accepted(none)}));
}

TEST_F(FillSize, HeadroomIsPerContract) {
  SetCeiling("C2", "S1", "V2", 500);
  const std::string v2 = Publish(OfferOf(1000, 4000), kV2);
  const std::string v1 = Publish(OfferOf(1000, 4100), kV1);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, v2, "500@4000 C2 rem 500/500"),
                   Assigned(r, v1, "500@4100 C1 rem 0/500"), Closed(r, "FILLED")}));
}

TEST_F(FillSize, UsedFteSurvivesAnUpsertOfTheContract) {
  const std::string o = Publish(OfferOf(2000, 4000), kV2);
  Submit(RequestOf(600));
  ASSERT_EQ(sink().fills.size(), 1u);
  SetCeiling("C2", "S1", "V2", 1000);  // 600 of it already used
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, o, "400@4000 C2 rem 600/1000")}));
}

TEST_F(FillSize, CeilingLoweredBelowUsedGivesNoFills) {
  Publish(OfferOf(2000, 4000), kV2);
  Submit(RequestOf(600));
  ASSERT_EQ(sink().fills.size(), 1u);
  SetCeiling("C2", "S1", "V2", 500);  // below the 600 used
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)), (Lines{Accepted(r)}));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV2, OfferOf(1000, 4000)), (Lines{Accepted(o)}));
}

TEST_F(FillSize, CeilingRemovedAllowsFillsAgain) {
  SetCeiling("C2", "S1", "V2", 500);
  const std::string o = Publish(OfferOf(2000, 4000), kV2);
  Submit(RequestOf(500));
  SetCeiling("C2", "S1", "V2", 0);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, o, "1000@4000 C2 rem 0/500"), Closed(r, "FILLED")}));
}

// A blocked pair is skipped; the walk goes on to the next candidate.
TEST_F(FillSize, WalkSkipsABlockedPairAndContinues) {
  Publish(OfferOf(1000, 3000), kV2);  // S2 has no contract with V2
  const std::string v1 = Publish(OfferOf(1000, 4000), kV1);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS2, RequestOf(1000)), (Lines{Accepted(r), Assigned(r, v1, "1000@4000 C3 rem 0/0"),
                                              Closed(v1, "EXHAUSTED"), Closed(r, "FILLED")}));
}

TEST_F(FillSize, WalkSkipsAPairWithoutHeadroomAndContinues) {
  Publish(OfferOf(1000, 3000), kV2);
  Submit(RequestOf(1000));  // 1000 used under C2
  SetCeiling("C2", "S1", "V2", 1000);
  Publish(OfferOf(1000, 3000), kV2);  // C2 is full: rests
  ASSERT_TRUE(sink().fills.empty());
  const std::string v1 = Publish(OfferOf(1000, 4000), kV1);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)), (Lines{Accepted(r), Assigned(r, v1, "1000@4000 C1 rem 0/0"),
                                              Closed(v1, "EXHAUSTED"), Closed(r, "FILLED")}));
}

TEST_F(FillSize, IncomingOfferSkipsABlockedRequestAndContinues) {
  SubmitRequest sliced = RequestOf(1000);
  sliced.min_slice_milli = 1000;
  sliced.max_rate = 6000;  // first in priority
  Submit(sliced);
  const std::string r = Submit(RequestOf(1000));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, OfferOf(500, 4000)),
            (Lines{Accepted(o), Assigned(r, o, "500@4000 C1 rem 500/0"), Closed(o, "EXHAUSTED")}));
}

}  // namespace
}  // namespace market::matcher::testing
