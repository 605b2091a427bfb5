// MATCHING.md "Compatibility of request R and offer O": one test per rule.
// Each test tries the pair both ways (offer resting, request incoming, and
// the other way round) and expects the same answer.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

class Compatibility : public MarketFixture {
 protected:
  // Whether `request` (by `sponsor`) and `offer` (by `vendor`) trade. Both
  // orders get fresh client_refs and are GTC; whatever is left of them is
  // cancelled afterwards.
  bool Trade(PublishOffer offer, SubmitRequest request, std::string_view vendor = kV1,
             std::string_view sponsor = kS1) {
    // Offer resting, request incoming.
    offer.client_ref = NextRef();
    request.client_ref = NextRef();
    const std::string o1 = Publish(offer, vendor);
    const std::string r1 = Submit(request, sponsor);
    const bool request_side = !sink().fills.empty();
    Run(vendor, WithdrawOffer{o1});
    Run(sponsor, CancelRequest{r1});

    // Request resting, offer incoming.
    request.client_ref = NextRef();
    offer.client_ref = NextRef();
    const std::string r2 = Submit(request, sponsor);
    const std::string o2 = Publish(offer, vendor);
    const bool offer_side = !sink().fills.empty();
    Run(vendor, WithdrawOffer{o2});
    Run(sponsor, CancelRequest{r2});

    EXPECT_EQ(request_side, offer_side) << "incoming request and incoming offer disagree";
    return request_side;
  }
};

// Rule 1: same role.
TEST_F(Compatibility, SameRoleTrades) { EXPECT_TRUE(Trade(Offer(), Request())); }

TEST_F(Compatibility, OtherRoleDoesNotTrade) {
  PublishOffer o = Offer();
  o.role = "CRA";
  EXPECT_FALSE(Trade(o, Request()));
}

// Rule 1: O.seniority >= R.min_seniority.
TEST_F(Compatibility, SeniorityAtMinimumTrades) {
  PublishOffer o = Offer();
  o.seniority = 3;
  SubmitRequest r = Request();
  r.min_seniority = 3;
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, SeniorityAboveMinimumTrades) {
  PublishOffer o = Offer();
  o.seniority = 5;
  SubmitRequest r = Request();
  r.min_seniority = 3;
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, SeniorityBelowMinimumDoesNotTrade) {
  PublishOffer o = Offer();
  o.seniority = 2;
  SubmitRequest r = Request();
  r.min_seniority = 3;
  EXPECT_FALSE(Trade(o, r));
}

TEST_F(Compatibility, UnsetMinSeniorityAcceptsEntryLevel) {
  PublishOffer o = Offer();
  o.seniority = 1;
  SubmitRequest r = Request();
  r.min_seniority = 0;
  EXPECT_TRUE(Trade(o, r));
}

// Rule 2: the offer is inside the request's locations.
TEST_F(Compatibility, ListedRegionCoversAnOfferInOneOfItsCountries) {
  PublishOffer o = Offer();
  o.country = "BR";
  SubmitRequest r = Request();
  r.locations = {"LATAM"};
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, ListedCountryCoversAnOfferInThatCountry) {
  SubmitRequest r = Request();
  r.locations = {"MX"};
  EXPECT_TRUE(Trade(Offer(), r));
}

TEST_F(Compatibility, ListedCountryCoversAnOfferAtOneOfItsHubs) {
  PublishOffer o = Offer();
  o.hub = "MX-CTA-HUB";
  SubmitRequest r = Request();
  r.locations = {"MX"};
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, ListedHubCoversAnOfferAtThatHub) {
  PublishOffer o = Offer();
  o.hub = "MX-CTA-HUB";
  SubmitRequest r = Request();
  r.locations = {"MX-CTA-HUB"};
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, ListedHubDoesNotCoverAnOfferInItsCountryWithoutHub) {
  SubmitRequest r = Request();
  r.locations = {"MX-CTA-HUB"};
  EXPECT_FALSE(Trade(Offer(), r));
}

TEST_F(Compatibility, OfferInAnotherRegionIsOutside) {
  PublishOffer o = Offer();
  o.country = "GB";
  SubmitRequest r = Request();
  r.locations = {"LATAM"};
  EXPECT_FALSE(Trade(o, r));
}

TEST_F(Compatibility, OfferInAnotherCountryOfTheSameRegionIsOutside) {
  SubmitRequest r = Request();
  r.locations = {"BR"};
  EXPECT_FALSE(Trade(Offer(), r));
}

TEST_F(Compatibility, AnyOneListedLocationIsEnough) {
  PublishOffer o = Offer();
  o.country = "GB";
  SubmitRequest r = Request();
  r.locations = {"BR", "GB"};
  EXPECT_TRUE(Trade(o, r));
}

// An offer reachable through several listed locations trades once.
TEST_F(Compatibility, OfferCoveredTwiceIsMetOnce) {
  PublishOffer o = Offer();
  o.hub = "MX-CTA-HUB";
  o.fte_milli = 500;
  const std::string offer = Publish(o);
  SubmitRequest r = Request();
  r.locations = {"LATAM", "MX", "MX-CTA-HUB"};
  const std::string req = NextId('R');
  EXPECT_EQ(Run(kS1, r), (Lines{Accepted(req), Assigned(req, offer, "500@4000 C1 rem 500/0"),
                                Closed(offer, "EXHAUSTED")}));
}

TEST_F(Compatibility, RequestCoveringAnOfferTwiceIsMetOnce) {
  SubmitRequest r = Request();
  r.locations = {"LATAM", "MX", "MX-CTA-HUB"};
  r.fte_milli = 500;
  const std::string req = Submit(r);
  PublishOffer o = Offer();
  o.hub = "MX-CTA-HUB";
  const std::string offer = NextId('O');
  EXPECT_EQ(Run(kV1, o), (Lines{Accepted(offer), Assigned(req, offer, "500@4000 C1 rem 0/500"),
                                Closed(req, "FILLED")}));
}

// Rule 3: available_from <= start_date.
TEST_F(Compatibility, AvailableFromOnStartDateTrades) {
  PublishOffer o = Offer();
  o.available_from = "2026-03-01";
  EXPECT_TRUE(Trade(o, Request()));
}

TEST_F(Compatibility, AvailableFromAfterStartDateDoesNotTrade) {
  PublishOffer o = Offer();
  o.available_from = "2026-03-02";
  EXPECT_FALSE(Trade(o, Request()));
}

// Rule 3: available_until unset or >= end_date.
TEST_F(Compatibility, OpenEndedOfferTrades) {
  PublishOffer o = Offer();
  o.available_until = "";
  EXPECT_TRUE(Trade(o, Request()));
}

TEST_F(Compatibility, AvailableUntilBeforeEndDateDoesNotTrade) {
  PublishOffer o = Offer();
  o.available_until = "2026-12-30";
  EXPECT_FALSE(Trade(o, Request()));
}

TEST_F(Compatibility, AvailableUntilOnEndDateTrades) {
  PublishOffer o = Offer();
  o.available_until = "2026-12-31";
  EXPECT_TRUE(Trade(o, Request()));
}

// Rule 4: engagement model.
TEST_F(Compatibility, EngagementModelInTheListTrades) {
  PublishOffer o = Offer();
  o.engagement_model = kTm;
  SubmitRequest r = Request();
  r.engagement_models = {kFso, kTm};
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, EngagementModelNotInTheListDoesNotTrade) {
  PublishOffer o = Offer();
  o.engagement_model = kFsp;
  SubmitRequest r = Request();
  r.engagement_models = {kFso, kTm};
  EXPECT_FALSE(Trade(o, r));
}

TEST_F(Compatibility, EmptyEngagementModelListTradesAnyModel) {
  PublishOffer o = Offer();
  o.engagement_model = kFso;
  SubmitRequest r = Request();
  r.engagement_models = {};
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, UnspecifiedOfferEngagementModelIsFsp) {
  PublishOffer o = Offer();
  o.engagement_model = 0;
  SubmitRequest fsp = Request();
  fsp.engagement_models = {kFsp};
  EXPECT_TRUE(Trade(o, fsp));
  SubmitRequest fso = Request();
  fso.engagement_models = {kFso};
  EXPECT_FALSE(Trade(o, fso));
}

// Rule 5: required tags are a subset of the offer's tags.
TEST_F(Compatibility, AllRequiredTagsPresentTrades) {
  PublishOffer o = Offer();
  o.tags = {"spanish", "oncology", "portuguese"};
  SubmitRequest r = Request();
  r.required_tags = {"oncology", "spanish"};
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, MissingRequiredTagDoesNotTrade) {
  PublishOffer o = Offer();
  o.tags = {"oncology"};
  SubmitRequest r = Request();
  r.required_tags = {"oncology", "spanish"};
  EXPECT_FALSE(Trade(o, r));
}

TEST_F(Compatibility, TagsCompareCaseSensitively) {
  PublishOffer o = Offer();
  o.tags = {"Oncology"};
  SubmitRequest r = Request();
  r.required_tags = {"oncology"};
  EXPECT_FALSE(Trade(o, r));
}

TEST_F(Compatibility, NoRequiredTagsTradesWithAnyTags) {
  PublishOffer o = Offer();
  o.tags = {"oncology"};
  SubmitRequest r = Request();
  r.required_tags = {};
  EXPECT_TRUE(Trade(o, r));
}

// Rule 6: an active contract for (R.sponsor, O.vendor).
TEST_F(Compatibility, NoContractDoesNotTrade) {
  EXPECT_FALSE(Trade(Offer(), Request(), kV2, kS2));  // S2 has no contract with V2
}

TEST_F(Compatibility, InactiveContractDoesNotTrade) {
  UpsertContract c1 = Contract("C1", "S1", "V1");
  c1.active = false;
  Run(kAdmin, c1);
  EXPECT_FALSE(Trade(Offer(), Request(), kV1, kS1));
}

TEST_F(Compatibility, ReactivatedContractTradesAgain) {
  UpsertContract c1 = Contract("C1", "S1", "V1");
  c1.active = false;
  Run(kAdmin, c1);
  c1.active = true;
  Run(kAdmin, c1);
  EXPECT_TRUE(Trade(Offer(), Request(), kV1, kS1));
}

// Rule 6: the allowlist, when not empty.
TEST_F(Compatibility, VendorOnTheAllowlistTrades) {
  SubmitRequest r = Request();
  r.vendor_allowlist = {"V2", "V1"};
  EXPECT_TRUE(Trade(Offer(), r, kV1));
}

TEST_F(Compatibility, VendorOffTheAllowlistDoesNotTrade) {
  SubmitRequest r = Request();
  r.vendor_allowlist = {"V2"};
  EXPECT_FALSE(Trade(Offer(), r, kV1));
}

TEST_F(Compatibility, AllowlistDoesNotReplaceTheContract) {
  SubmitRequest r = Request();
  r.vendor_allowlist = {"V2"};
  EXPECT_FALSE(Trade(Offer(), r, kV2, kS2));  // allowlisted, but no S2-V2 contract
}

// Rule 7: O.rate <= R.max_rate.
TEST_F(Compatibility, RateEqualToMaxRateTrades) {
  PublishOffer o = Offer();
  o.rate = 5000;
  SubmitRequest r = Request();
  r.max_rate = 5000;
  EXPECT_TRUE(Trade(o, r));
}

TEST_F(Compatibility, RateAboveMaxRateDoesNotTrade) {
  PublishOffer o = Offer();
  o.rate = 5001;
  SubmitRequest r = Request();
  r.max_rate = 5000;
  EXPECT_FALSE(Trade(o, r));
}

// Rule 7: the card caps the rate when it has exactly (role, seniority, country).
class CardCap : public Compatibility {
 protected:
  void CardOfC1(RateCardEntry entry) {
    UpsertContract c1 = Contract("C1", "S1", "V1");
    c1.rates = {std::move(entry)};
    Run(kAdmin, c1);
  }
  PublishOffer OfferAt(int64_t rate) {
    PublishOffer o = Offer();  // CTA, seniority 2, MX
    o.rate = rate;
    return o;
  }
};

TEST_F(CardCap, RateAtTheExactEntryTrades) {
  CardOfC1(Entry("CTA", 2, "MX", 3000));
  EXPECT_TRUE(Trade(OfferAt(3000), Request()));
}

TEST_F(CardCap, RateAboveTheExactEntryDoesNotTrade) {
  CardOfC1(Entry("CTA", 2, "MX", 3000));
  EXPECT_FALSE(Trade(OfferAt(3001), Request()));
}

TEST_F(CardCap, EntryForAnotherSeniorityDoesNotCap) {
  CardOfC1(Entry("CTA", 3, "MX", 3000));
  EXPECT_TRUE(Trade(OfferAt(4000), Request()));
}

TEST_F(CardCap, EntryForAnotherCountryDoesNotCap) {
  CardOfC1(Entry("CTA", 2, "BR", 3000));
  EXPECT_TRUE(Trade(OfferAt(4000), Request()));
}

TEST_F(CardCap, EntryForAnotherRoleDoesNotCap) {
  CardOfC1(Entry("CRA", 2, "MX", 3000));
  EXPECT_TRUE(Trade(OfferAt(4000), Request()));
}

TEST_F(CardCap, CardOfAnotherContractDoesNotCap) {
  UpsertContract c2 = Contract("C2", "S1", "V2");
  c2.rates = {Entry("CTA", 2, "MX", 3000)};
  Run(kAdmin, c2);
  EXPECT_TRUE(Trade(OfferAt(4000), Request(), kV1));  // traded under C1
}

TEST_F(CardCap, CapBelowMaxRateSkipsTheOfferAndTheWalkGoesOn) {
  CardOfC1(Entry("CTA", 2, "MX", 3000));
  Publish(OfferAt(3500), kV1);  // above C1's cap of 3000
  const std::string next = Publish(OfferAt(3600), kV2);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, Request()), (Lines{Accepted(r), Assigned(r, next, "1000@3600 C2 rem 0/0"),
                                        Closed(next, "EXHAUSTED"), Closed(r, "FILLED")}));
}

// Reference data: a country moved to another region.
TEST_F(Compatibility, CountryMovedToAnotherRegionMatchesThatRegionAfterwards) {
  SubmitRequest in_latam = Request();
  in_latam.locations = {"LATAM"};
  SubmitRequest in_eu = Request();
  in_eu.locations = {"EU"};
  EXPECT_TRUE(Trade(Offer(), in_latam));
  EXPECT_FALSE(Trade(Offer(), in_eu));

  ASSERT_EQ(Run(kAdmin, Location(kCountry, "MX", "EU")), (Lines{"LocationDefined"}));

  EXPECT_FALSE(Trade(Offer(), in_latam));
  EXPECT_TRUE(Trade(Offer(), in_eu));
}

TEST_F(Compatibility, CountryListedBesideItsOldRegionIsStillMetAfterItMoved) {
  SubmitRequest r = Request();
  r.locations = {"LATAM", "MX"};
  ASSERT_EQ(Run(kAdmin, Location(kCountry, "MX", "EU")), (Lines{"LocationDefined"}));
  EXPECT_TRUE(Trade(Offer(), r));  // through MX itself, no longer through LATAM
}

TEST_F(Compatibility, CountryMovedAwayNoLongerMeetsARequestRestingInItsOldRegion) {
  Submit(Request());  // rests in LATAM
  Run(kAdmin, Location(kCountry, "MX", "EU"));
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, Offer()), (Lines{Accepted(o)}));  // MX is in EU now
}

TEST_F(Compatibility, OfferRestingInAMovedCountryMeetsRequestsOfItsNewRegion) {
  const std::string o = Publish(Offer());  // rests in MX, then in LATAM
  Run(kAdmin, Location(kCountry, "MX", "EU"));
  SubmitRequest in_latam = Request();
  in_latam.locations = {"LATAM"};
  Submit(in_latam);
  EXPECT_TRUE(sink().fills.empty()) << "MX is no longer in LATAM";

  SubmitRequest in_eu = Request();
  in_eu.locations = {"EU"};
  Submit(in_eu);
  ASSERT_EQ(sink().fills.size(), 1u);
  EXPECT_EQ("O" + std::to_string(sink().fills[0].offer), o);
}

}  // namespace
}  // namespace market::matcher::testing
