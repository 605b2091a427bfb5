// MATCHING.md "Validation" and MATCHING_NOTES.md (checks 1 to 7) for order
// commands: every refusal names its code and field, and changes nothing.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

class Validation : public MarketFixture {
 protected:
  // Runs a command that must be refused; returns its single line ("Rejected
  // CODE field") after checking that the engine state did not change.
  std::string Refusal(std::string_view principal, CommandBody body) {
    const Lines lines = Run(principal, std::move(body));
    EXPECT_EQ(outcome().kind, Outcome::Kind::kRejected);
    EXPECT_FALSE(LastCommandChangedState()) << "a rejected command changed the state";
    return lines.size() == 1 ? lines[0] : ::testing::PrintToString(lines);
  }
  static std::string Invalid(std::string_view field) { return Rejected("INVALID_ARGUMENT", field); }
  static std::string Denied(std::string_view field) { return Rejected("PERMISSION_DENIED", field); }
};
using RequestValidation = Validation;
using OfferValidation = Validation;
using AmendValidation = Validation;
using CheckOrder = Validation;

// ---- Check 1: the principal.

TEST_F(Validation, SubmitFromAnUnknownSponsorIsPermissionDenied) {
  EXPECT_EQ(Refusal("sponsor:S9", Request()), Denied("principal"));
}

TEST_F(Validation, SubmitFromAVendorIsPermissionDenied) {
  EXPECT_EQ(Refusal(kV1, Request()), Denied("principal"));
}

TEST_F(Validation, SubmitFromAdminIsPermissionDenied) {
  EXPECT_EQ(Refusal(kAdmin, Request()), Denied("principal"));
}

TEST_F(Validation, SubmitFromOpsIsPermissionDenied) {
  EXPECT_EQ(Refusal(kOps, Request()), Denied("principal"));
}

TEST_F(Validation, SubmitUnderAVendorsIdAsSponsorIsPermissionDenied) {
  EXPECT_EQ(Refusal("sponsor:V1", Request()), Denied("principal"));
}

TEST_F(Validation, SubmitFromAMalformedPrincipalIsPermissionDenied) {
  for (const char* principal :
       {"", "S1", "sponsor", "sponsor:", "Sponsor:S1", "SPONSOR:S1", "sponsor:S1 ", " sponsor:S1",
        "sponsor: S1", "sponsor:s1", "sponsor::S1", "vendor:S1", "admin:S1"}) {
    EXPECT_EQ(Refusal(principal, Request()), Denied("principal")) << '"' << principal << '"';
  }
}

TEST_F(Validation, PublishFromASponsorIsPermissionDenied) {
  EXPECT_EQ(Refusal(kS1, Offer()), Denied("principal"));
}

TEST_F(Validation, PublishFromAnUnknownVendorIsPermissionDenied) {
  EXPECT_EQ(Refusal("vendor:V9", Offer()), Denied("principal"));
}

TEST_F(Validation, PublishFromAdminIsPermissionDenied) {
  EXPECT_EQ(Refusal(kAdmin, Offer()), Denied("principal"));
}

TEST_F(Validation, AmendRequestFromAVendorIsPermissionDenied) {
  const std::string r = Submit(Request());
  EXPECT_EQ(Refusal(kV1, RequestAmend(r, 500, 0)), Denied("principal"));
}

TEST_F(Validation, WithdrawFromASponsorIsPermissionDenied) {
  const std::string o = Publish(Offer());
  EXPECT_EQ(Refusal(kS1, WithdrawOffer{o}), Denied("principal"));
}

TEST_F(Validation, SponsorIdOfAnotherSponsorIsPermissionDenied) {
  SubmitRequest r = Request();
  r.sponsor_id = "S2";
  EXPECT_EQ(Refusal(kS1, r), Denied("sponsor_id"));
}

TEST_F(Validation, SponsorIdOfNobodyIsPermissionDenied) {
  SubmitRequest r = Request();
  r.sponsor_id = "S9";
  EXPECT_EQ(Refusal(kS1, r), Denied("sponsor_id"));
}

TEST_F(Validation, OwnSponsorIdIsAccepted) {
  SubmitRequest r = Request();
  r.sponsor_id = "S1";
  Submit(r, kS1);
}

TEST_F(Validation, VendorIdOfAnotherVendorIsPermissionDenied) {
  PublishOffer o = Offer();
  o.vendor_id = "V2";
  EXPECT_EQ(Refusal(kV1, o), Denied("vendor_id"));
}

TEST_F(Validation, OwnVendorIdIsAccepted) {
  PublishOffer o = Offer();
  o.vendor_id = "V1";
  Publish(o, kV1);
}

TEST_F(Validation, CommandWithoutBodyIsInvalidArgument) {
  EXPECT_EQ(Refusal(kS1, EmptyBody{}), Invalid("body"));
}

// ---- Check 3: request fields.

TEST_F(RequestValidation, EmptyClientRefIsInvalidArgument) {
  SubmitRequest r = Request();
  r.client_ref = "";
  EXPECT_EQ(Refusal(kS1, r), Invalid("client_ref"));
}

TEST_F(RequestValidation, ClientRefOver128BytesIsInvalidArgument) {
  SubmitRequest r = Request();
  r.client_ref = std::string(129, 'x');
  EXPECT_EQ(Refusal(kS1, r), Invalid("client_ref"));
  r.client_ref = std::string(128, 'x');
  Submit(r);
}

TEST_F(RequestValidation, EmptyRoleIsInvalidArgument) {
  SubmitRequest r = Request();
  r.role = "";
  EXPECT_EQ(Refusal(kS1, r), Invalid("role"));
}

TEST_F(RequestValidation, UnknownRoleIsInvalidArgument) {
  SubmitRequest r = Request();
  r.role = "TMF_SPEC";
  EXPECT_EQ(Refusal(kS1, r), Invalid("role"));
}

TEST_F(RequestValidation, RoleCodesAreCaseSensitive) {
  SubmitRequest r = Request();
  r.role = "cta";
  EXPECT_EQ(Refusal(kS1, r), Invalid("role"));
}

TEST_F(RequestValidation, MinSeniorityAboveFiveIsInvalidArgument) {
  SubmitRequest r = Request();
  r.min_seniority = 6;
  EXPECT_EQ(Refusal(kS1, r), Invalid("min_seniority"));
}

TEST_F(RequestValidation, NegativeMinSeniorityIsInvalidArgument) {
  SubmitRequest r = Request();
  r.min_seniority = -1;
  EXPECT_EQ(Refusal(kS1, r), Invalid("min_seniority"));
}

TEST_F(RequestValidation, MinSeniorityOneToFiveIsAccepted) {
  for (int32_t s = 0; s <= 5; ++s) {
    SubmitRequest r = Request();
    r.min_seniority = s;
    r.max_rate = 1;  // no trade
    Submit(r);
  }
}

TEST_F(RequestValidation, NoLocationIsInvalidArgument) {
  SubmitRequest r = Request();
  r.locations = {};
  EXPECT_EQ(Refusal(kS1, r), Invalid("locations"));
}

TEST_F(RequestValidation, SixtyFiveLocationsAreInvalidArgument) {
  SubmitRequest r = Request();
  r.locations.assign(65, "LATAM");
  EXPECT_EQ(Refusal(kS1, r), Invalid("locations"));
  r.locations.assign(64, "LATAM");
  Submit(r);
}

TEST_F(RequestValidation, LocationCountIsCheckedBeforeItsElements) {
  SubmitRequest r = Request();
  r.locations.assign(65, "NOWHERE");
  EXPECT_EQ(Refusal(kS1, r), Invalid("locations"));
}

TEST_F(RequestValidation, UnknownLocationIsInvalidArgumentAtItsIndex) {
  SubmitRequest r = Request();
  r.locations = {"LATAM", "ATLANTIS"};
  EXPECT_EQ(Refusal(kS1, r), Invalid("locations[1]"));
}

TEST_F(RequestValidation, EmptyLocationIsInvalidArgumentAtItsIndex) {
  SubmitRequest r = Request();
  r.locations = {""};
  EXPECT_EQ(Refusal(kS1, r), Invalid("locations[0]"));
}

TEST_F(RequestValidation, FteZeroIsInvalidArgument) {
  SubmitRequest r = Request();
  r.fte_milli = 0;
  EXPECT_EQ(Refusal(kS1, r), Invalid("fte_milli"));
}

TEST_F(RequestValidation, FteAboveOneMillionIsInvalidArgument) {
  SubmitRequest r = Request();
  r.fte_milli = 1'000'001;
  EXPECT_EQ(Refusal(kS1, r), Invalid("fte_milli"));
  r.fte_milli = 1'000'000;
  Submit(r);
}

TEST_F(RequestValidation, NegativeFteIsInvalidArgument) {
  SubmitRequest r = Request();
  r.fte_milli = -1000;
  EXPECT_EQ(Refusal(kS1, r), Invalid("fte_milli"));
}

TEST_F(RequestValidation, MinSliceAboveFteIsInvalidArgument) {
  SubmitRequest r = Request();
  r.fte_milli = 1000;
  r.min_slice_milli = 1001;
  EXPECT_EQ(Refusal(kS1, r), Invalid("min_slice_milli"));
  r.min_slice_milli = 1000;
  Submit(r);
}

TEST_F(RequestValidation, NegativeMinSliceIsInvalidArgument) {
  SubmitRequest r = Request();
  r.min_slice_milli = -1;
  EXPECT_EQ(Refusal(kS1, r), Invalid("min_slice_milli"));
}

TEST_F(RequestValidation, NegativeMaxVendorsIsInvalidArgument) {
  SubmitRequest r = Request();
  r.max_vendors = -1;
  EXPECT_EQ(Refusal(kS1, r), Invalid("max_vendors"));
}

TEST_F(RequestValidation, MaxRateZeroIsInvalidArgument) {
  SubmitRequest r = Request();
  r.max_rate = 0;
  EXPECT_EQ(Refusal(kS1, r), Invalid("max_rate"));
}

TEST_F(RequestValidation, MaxRateAboveOneHundredMillionIsInvalidArgument) {
  SubmitRequest r = Request();
  r.max_rate = 100'000'001;
  EXPECT_EQ(Refusal(kS1, r), Invalid("max_rate"));
  r.max_rate = 100'000'000;
  Submit(r);
}

TEST_F(RequestValidation, BadStartDateIsInvalidArgument) {
  for (const char* bad : {"", "2026-02-30", "2026-3-01", "2026/03/01", "1999-12-31", "2200-01-01",
                          "2026-03-01T00:00"}) {
    SubmitRequest r = Request();
    r.start_date = bad;
    EXPECT_EQ(Refusal(kS1, r), Invalid("start_date")) << bad;
  }
}

TEST_F(RequestValidation, BadEndDateIsInvalidArgument) {
  for (const char* bad : {"", "2026-13-01", "2100-02-29", "31-12-2026"}) {
    SubmitRequest r = Request();
    r.end_date = bad;
    EXPECT_EQ(Refusal(kS1, r), Invalid("end_date")) << bad;
  }
}

TEST_F(RequestValidation, EndBeforeStartIsInvalidArgumentOnEndDate) {
  SubmitRequest r = Request();
  r.start_date = "2026-03-01";
  r.end_date = "2026-02-28";
  EXPECT_EQ(Refusal(kS1, r), Invalid("end_date"));
  r.end_date = "2026-03-01";  // a one-day request is fine
  Submit(r);
}

TEST_F(RequestValidation, DatesAtTheEdgesOfTheRangeAreAccepted) {
  SubmitRequest r = Request();
  r.start_date = "2000-01-01";
  r.end_date = "2199-12-31";
  Submit(r);
}

TEST_F(RequestValidation, UnspecifiedEngagementModelIsInvalidArgumentAtItsIndex) {
  SubmitRequest r = Request();
  r.engagement_models = {kFsp, 0};
  EXPECT_EQ(Refusal(kS1, r), Invalid("engagement_models[1]"));
}

TEST_F(RequestValidation, UnknownEngagementModelIsInvalidArgumentAtItsIndex) {
  SubmitRequest r = Request();
  r.engagement_models = {4};
  EXPECT_EQ(Refusal(kS1, r), Invalid("engagement_models[0]"));
}

TEST_F(RequestValidation, SixtyFiveEngagementModelsAreInvalidArgument) {
  SubmitRequest r = Request();
  r.engagement_models.assign(65, kFsp);
  EXPECT_EQ(Refusal(kS1, r), Invalid("engagement_models"));
}

TEST_F(RequestValidation, ThirtyThreeRequiredTagsAreInvalidArgument) {
  SubmitRequest r = Request();
  for (int i = 0; i < 33; ++i) r.required_tags.push_back("tag" + std::to_string(i));
  EXPECT_EQ(Refusal(kS1, r), Invalid("required_tags"));
  r.required_tags.pop_back();
  Submit(r);
}

TEST_F(RequestValidation, RequiredTagOver128BytesIsInvalidArgumentAtItsIndex) {
  SubmitRequest r = Request();
  r.required_tags = {"oncology", "", std::string(129, 't')};
  EXPECT_EQ(Refusal(kS1, r), Invalid("required_tags[2]"));
}

TEST_F(RequestValidation, EmptyTagIsAccepted) {
  SubmitRequest r = Request();
  r.required_tags = {""};
  Submit(r);
}

TEST_F(RequestValidation, UnknownVendorInTheAllowlistIsInvalidArgument) {
  SubmitRequest r = Request();
  r.vendor_allowlist = {"V1", "V9"};
  EXPECT_EQ(Refusal(kS1, r), Invalid("vendor_allowlist[1]"));
}

TEST_F(RequestValidation, SponsorInTheAllowlistIsInvalidArgument) {
  SubmitRequest r = Request();
  r.vendor_allowlist = {"S2"};
  EXPECT_EQ(Refusal(kS1, r), Invalid("vendor_allowlist[0]"));
}

TEST_F(RequestValidation, SixtyFiveAllowlistedVendorsAreInvalidArgument) {
  SubmitRequest r = Request();
  r.vendor_allowlist.assign(65, "V1");
  EXPECT_EQ(Refusal(kS1, r), Invalid("vendor_allowlist"));
  r.vendor_allowlist.assign(64, "V1");
  Submit(r);
}

TEST_F(RequestValidation, UnknownTimeInForceIsInvalidArgument) {
  SubmitRequest r = Request();
  r.time_in_force = 3;
  EXPECT_EQ(Refusal(kS1, r), Invalid("time_in_force"));
  r.time_in_force = -1;
  EXPECT_EQ(Refusal(kS1, r), Invalid("time_in_force"));
}

TEST_F(RequestValidation, AllOrNoneWithoutIocIsInvalidArgument) {
  SubmitRequest r = Request();
  r.all_or_none = true;
  r.time_in_force = kGtc;
  EXPECT_EQ(Refusal(kS1, r), Invalid("all_or_none"));
}

TEST_F(RequestValidation, LocationOver128BytesIsInvalidArgument) {
  SubmitRequest r = Request();
  r.locations = {std::string(129, 'L')};
  EXPECT_EQ(Refusal(kS1, r), Invalid("locations[0]"));
}

TEST_F(RequestValidation, FirstBadFieldInProtoOrderDecides) {
  SubmitRequest r = Request();
  r.role = "NOPE";       // field 3
  r.fte_milli = 0;       // field 6
  r.end_date = "never";  // field 11
  EXPECT_EQ(Refusal(kS1, r), Invalid("role"));
}

TEST_F(RequestValidation, RejectedRequestDoesNotTrade) {
  Publish(Offer());
  SubmitRequest r = Request();
  r.time_in_force = 7;  // the last field checked but one
  EXPECT_EQ(Refusal(kS1, r), Invalid("time_in_force"));
  EXPECT_EQ(engine().open_offers(), 1u);
  EXPECT_EQ(engine().open_requests(), 0u);
}

// ---- Check 3: offer fields.

TEST_F(OfferValidation, EmptyClientRefIsInvalidArgument) {
  PublishOffer o = Offer();
  o.client_ref = "";
  EXPECT_EQ(Refusal(kV1, o), Invalid("client_ref"));
}

TEST_F(OfferValidation, UnknownRoleIsInvalidArgument) {
  PublishOffer o = Offer();
  o.role = "CTAX";
  EXPECT_EQ(Refusal(kV1, o), Invalid("role"));
}

TEST_F(OfferValidation, SeniorityZeroIsInvalidArgument) {
  PublishOffer o = Offer();
  o.seniority = 0;  // offers have no default seniority
  EXPECT_EQ(Refusal(kV1, o), Invalid("seniority"));
}

TEST_F(OfferValidation, SeniorityAboveFiveIsInvalidArgument) {
  PublishOffer o = Offer();
  o.seniority = 6;
  EXPECT_EQ(Refusal(kV1, o), Invalid("seniority"));
}

TEST_F(OfferValidation, UnknownCountryIsInvalidArgument) {
  PublishOffer o = Offer();
  o.country = "XX";
  EXPECT_EQ(Refusal(kV1, o), Invalid("country"));
}

TEST_F(OfferValidation, EmptyCountryIsInvalidArgument) {
  PublishOffer o = Offer();
  o.country = "";
  EXPECT_EQ(Refusal(kV1, o), Invalid("country"));
}

TEST_F(OfferValidation, RegionAsCountryIsInvalidArgument) {
  PublishOffer o = Offer();
  o.country = "LATAM";
  EXPECT_EQ(Refusal(kV1, o), Invalid("country"));
}

TEST_F(OfferValidation, HubAsCountryIsInvalidArgument) {
  PublishOffer o = Offer();
  o.country = "MX-CTA-HUB";
  EXPECT_EQ(Refusal(kV1, o), Invalid("country"));
}

TEST_F(OfferValidation, HubOutsideTheOffersCountryIsInvalidArgument) {
  PublishOffer o = Offer();
  o.country = "BR";
  o.hub = "MX-CTA-HUB";
  EXPECT_EQ(Refusal(kV1, o), Invalid("hub"));
}

TEST_F(OfferValidation, UnknownHubIsInvalidArgument) {
  PublishOffer o = Offer();
  o.hub = "MX-CRA-HUB";
  EXPECT_EQ(Refusal(kV1, o), Invalid("hub"));
}

TEST_F(OfferValidation, CountryAsHubIsInvalidArgument) {
  PublishOffer o = Offer();
  o.hub = "MX";
  EXPECT_EQ(Refusal(kV1, o), Invalid("hub"));
}

TEST_F(OfferValidation, HubInsideTheOffersCountryIsAccepted) {
  PublishOffer o = Offer();
  o.hub = "MX-CTA-HUB";
  Publish(o);
}

TEST_F(OfferValidation, FteZeroIsInvalidArgument) {
  PublishOffer o = Offer();
  o.fte_milli = 0;
  EXPECT_EQ(Refusal(kV1, o), Invalid("fte_milli"));
}

TEST_F(OfferValidation, FteAboveOneMillionIsInvalidArgument) {
  PublishOffer o = Offer();
  o.fte_milli = 1'000'001;
  EXPECT_EQ(Refusal(kV1, o), Invalid("fte_milli"));
}

TEST_F(OfferValidation, MinSliceAboveFteIsInvalidArgument) {
  PublishOffer o = Offer();
  o.fte_milli = 500;
  o.min_slice_milli = 501;
  EXPECT_EQ(Refusal(kV1, o), Invalid("min_slice_milli"));
}

TEST_F(OfferValidation, RateZeroIsInvalidArgument) {
  PublishOffer o = Offer();
  o.rate = 0;
  EXPECT_EQ(Refusal(kV1, o), Invalid("rate"));
}

TEST_F(OfferValidation, RateAboveOneHundredMillionIsInvalidArgument) {
  PublishOffer o = Offer();
  o.rate = 100'000'001;
  EXPECT_EQ(Refusal(kV1, o), Invalid("rate"));
  o.rate = 100'000'000;
  Publish(o);
}

TEST_F(OfferValidation, MissingAvailableFromIsInvalidArgument) {
  PublishOffer o = Offer();
  o.available_from = "";
  EXPECT_EQ(Refusal(kV1, o), Invalid("available_from"));
}

TEST_F(OfferValidation, BadAvailableFromIsInvalidArgument) {
  PublishOffer o = Offer();
  o.available_from = "2026-02-29";
  EXPECT_EQ(Refusal(kV1, o), Invalid("available_from"));
}

TEST_F(OfferValidation, BadAvailableUntilIsInvalidArgument) {
  PublishOffer o = Offer();
  o.available_until = "2026-12-32";
  EXPECT_EQ(Refusal(kV1, o), Invalid("available_until"));
}

TEST_F(OfferValidation, AvailableUntilBeforeAvailableFromIsInvalidArgument) {
  PublishOffer o = Offer();
  o.available_from = "2026-01-01";
  o.available_until = "2025-12-31";
  EXPECT_EQ(Refusal(kV1, o), Invalid("available_until"));
  o.available_until = "2026-01-01";
  Publish(o);
}

TEST_F(OfferValidation, UnknownEngagementModelIsInvalidArgument) {
  PublishOffer o = Offer();
  o.engagement_model = 4;
  EXPECT_EQ(Refusal(kV1, o), Invalid("engagement_model"));
}

TEST_F(OfferValidation, ThirtyThreeTagsAreInvalidArgument) {
  PublishOffer o = Offer();
  for (int i = 0; i < 33; ++i) o.tags.push_back("tag" + std::to_string(i));
  EXPECT_EQ(Refusal(kV1, o), Invalid("tags"));
  o.tags.pop_back();
  Publish(o);
}

TEST_F(OfferValidation, TagOver128BytesIsInvalidArgumentAtItsIndex) {
  PublishOffer o = Offer();
  o.tags = {std::string(129, 't')};
  EXPECT_EQ(Refusal(kV1, o), Invalid("tags[0]"));
}

TEST_F(OfferValidation, UnknownTimeInForceIsInvalidArgument) {
  PublishOffer o = Offer();
  o.time_in_force = 3;
  EXPECT_EQ(Refusal(kV1, o), Invalid("time_in_force"));
}

TEST_F(OfferValidation, HubOver128BytesIsInvalidArgument) {
  PublishOffer o = Offer();
  o.hub = std::string(129, 'h');
  EXPECT_EQ(Refusal(kV1, o), Invalid("hub"));
}

// ---- Check 3: amend fields.

TEST_F(AmendValidation, EmptyRequestIdIsInvalidArgument) {
  EXPECT_EQ(Refusal(kS1, RequestAmend("", 500, 0)), Invalid("request_id"));
}

TEST_F(AmendValidation, EmptyOfferIdIsInvalidArgument) {
  EXPECT_EQ(Refusal(kV1, OfferAmend("", 500, 0)), Invalid("offer_id"));
}

TEST_F(AmendValidation, EmptyClientRefIsInvalidArgument) {
  const std::string r = Submit(Request());
  EXPECT_EQ(Refusal(kS1, AmendRequest{r, "", 500, 0}), Invalid("client_ref"));
}

TEST_F(AmendValidation, ClientRefOver128BytesIsInvalidArgument) {
  const std::string o = Publish(Offer());
  EXPECT_EQ(Refusal(kV1, AmendOffer{o, std::string(129, 'c'), 500, 0}), Invalid("client_ref"));
}

TEST_F(AmendValidation, NegativeFteIsInvalidArgument) {
  const std::string r = Submit(Request());
  EXPECT_EQ(Refusal(kS1, RequestAmend(r, -1, 0)), Invalid("fte_milli"));
}

TEST_F(AmendValidation, FteAboveOneMillionIsInvalidArgument) {
  const std::string o = Publish(Offer());
  EXPECT_EQ(Refusal(kV1, OfferAmend(o, 1'000'001, 0)), Invalid("fte_milli"));
}

TEST_F(AmendValidation, MaxRateOutOfRangeIsInvalidArgument) {
  const std::string r = Submit(Request());
  EXPECT_EQ(Refusal(kS1, RequestAmend(r, 0, -5)), Invalid("max_rate"));
  EXPECT_EQ(Refusal(kS1, RequestAmend(r, 0, 100'000'001)), Invalid("max_rate"));
}

TEST_F(AmendValidation, OfferRateOutOfRangeIsInvalidArgument) {
  const std::string o = Publish(Offer());
  EXPECT_EQ(Refusal(kV1, OfferAmend(o, 0, 100'000'001)), Invalid("rate"));
}

// ---- The order of the checks: the first that fails decides.

TEST_F(CheckOrder, PrincipalBeforeFields) {
  SubmitRequest r = Request();
  r.fte_milli = 0;
  EXPECT_EQ(Refusal(kV1, r), Denied("principal"));
}

TEST_F(CheckOrder, OwnIdBeforeFields) {
  SubmitRequest r = Request();
  r.sponsor_id = "S2";
  r.client_ref = "";
  EXPECT_EQ(Refusal(kS1, r), Denied("sponsor_id"));
}

TEST_F(CheckOrder, PrincipalBeforeOwnership) {
  const std::string r = Submit(Request());
  EXPECT_EQ(Refusal("sponsor:S9", RequestAmend(r, 500, 0)), Denied("principal"));
}

TEST_F(CheckOrder, OwnershipBeforeFields) {
  const std::string r = Submit(Request(), kS2);
  EXPECT_EQ(Refusal(kS1, AmendRequest{r, "", -1, -1}), Denied("request_id"));
}

TEST_F(CheckOrder, OwnershipBeforeClosed) {
  const std::string r = Submit(Request(), kS2);
  Run(kS2, CancelRequest{r});
  EXPECT_EQ(Refusal(kS1, CancelRequest{r}), Denied("request_id"));
}

TEST_F(CheckOrder, FieldsBeforeNotFound) {
  EXPECT_EQ(Refusal(kS1, RequestAmend("R999", -1, 0)), Invalid("fte_milli"));
}

TEST_F(CheckOrder, FieldsBeforeClosed) {
  const std::string r = Submit(Request());
  Run(kS1, CancelRequest{r});
  EXPECT_EQ(Refusal(kS1, RequestAmend(r, 0, 100'000'001)), Invalid("max_rate"));
}

TEST_F(CheckOrder, PermissionBeforeDuplicate) {
  SubmitRequest r = Request();
  Submit(r);
  r.sponsor_id = "S2";
  EXPECT_EQ(Refusal(kS1, r), Denied("sponsor_id"));
}

TEST_F(CheckOrder, FieldsBeforeDuplicate) {
  SubmitRequest r = Request();
  Submit(r);
  r.fte_milli = 0;
  EXPECT_EQ(Refusal(kS1, r), Invalid("fte_milli"));
}

TEST_F(CheckOrder, NotFoundBeforeDuplicate) {
  SubmitRequest r = Request();
  r.client_ref = "seen";
  Submit(r);
  EXPECT_EQ(Refusal(kS1, AmendRequest{"R999", "seen", 500, 0}),
            Rejected("NOT_FOUND", "request_id"));
}

TEST_F(CheckOrder, ClosedBeforeDuplicate) {
  SubmitRequest req = Request();
  req.client_ref = "seen";
  const std::string r = Submit(req);
  Run(kS1, CancelRequest{r});
  EXPECT_EQ(Refusal(kS1, AmendRequest{r, "seen", 500, 0}),
            Rejected("FAILED_PRECONDITION", "request_id"));
}

}  // namespace
}  // namespace market::matcher::testing
