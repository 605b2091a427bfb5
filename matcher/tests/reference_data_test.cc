// Reference data and contracts: who may change them, their validation
// (MATCHING.md "Validation", MATCHING_NOTES.md "Reference data" and
// "Contracts"), and how a change affects later matching.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

class ReferenceData : public MarketFixture {
 protected:
  std::string Refusal(std::string_view principal, CommandBody body) {
    const Lines lines = Run(principal, std::move(body));
    EXPECT_EQ(outcome().kind, Outcome::Kind::kRejected);
    EXPECT_FALSE(LastCommandChangedState()) << "a rejected command changed the state";
    return lines.size() == 1 ? lines[0] : ::testing::PrintToString(lines);
  }
  static std::string Invalid(std::string_view field) { return Rejected("INVALID_ARGUMENT", field); }
  // Whether a fresh S1 request meets a fresh V1 offer (CTA, seniority 2,
  // MX) at `rate`; what is left of both is taken off the book afterwards.
  bool V1TradesAt(int64_t rate) {
    PublishOffer o = Offer();
    o.rate = rate;
    const std::string offer = Publish(o, kV1);
    const std::string request = Submit(Request(), kS1);
    const bool traded = !sink().fills.empty();
    Run(kV1, WithdrawOffer{offer});
    Run(kS1, CancelRequest{request});
    return traded;
  }
};
using Roles = ReferenceData;
using Locations = ReferenceData;
using Participants = ReferenceData;
using Contracts = ReferenceData;
using RateCards = ReferenceData;

// ---- Only admin changes reference data.

TEST_F(ReferenceData, ReferenceDataFromASponsorIsPermissionDenied) {
  const CommandBody bodies[] = {
      DefineRole{"TMF_SPEC", "", ""},
      Location(kRegion, "APAC"),
      UpsertParticipant{"S3", kSponsor, ""},
      Contract("C9", "S2", "V2"),
      PatchRateCard{"C1", {Entry("CTA", 2, "MX", 1)}, {}},
  };
  for (const CommandBody& body : bodies) {
    EXPECT_EQ(Refusal(kS1, body), Rejected("PERMISSION_DENIED", "principal"));
  }
}

TEST_F(ReferenceData, ReferenceDataFromAVendorIsPermissionDenied) {
  EXPECT_EQ(Refusal(kV1, DefineRole{"TMF_SPEC", "", ""}),
            Rejected("PERMISSION_DENIED", "principal"));
}

TEST_F(ReferenceData, ReferenceDataFromOpsIsPermissionDenied) {
  EXPECT_EQ(Refusal(kOps, Contract("C9", "S2", "V2")), Rejected("PERMISSION_DENIED", "principal"));
}

TEST_F(ReferenceData, PrincipalMustBeExactlyAdmin) {
  for (const char* principal :
       {"", "Admin", "ADMIN", "admin ", " admin", "admin:", "sponsor:admin"}) {
    EXPECT_EQ(Refusal(principal, DefineRole{"TMF_SPEC", "", ""}),
              Rejected("PERMISSION_DENIED", "principal"))
        << '"' << principal << '"';
  }
}

TEST_F(ReferenceData, PermissionIsCheckedBeforeFields) {
  EXPECT_EQ(Refusal(kS1, DefineRole{"", "", ""}), Rejected("PERMISSION_DENIED", "principal"));
}

// ---- Roles.

TEST_F(Roles, EmptyCodeIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, DefineRole{"", "name", "family"}), Invalid("code"));
}

TEST_F(Roles, CodeOver128BytesIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, DefineRole{std::string(129, 'R'), "", ""}), Invalid("code"));
  EXPECT_EQ(Run(kAdmin, DefineRole{std::string(128, 'R'), "", ""}), (Lines{"RoleDefined"}));
}

TEST_F(Roles, NameOver128BytesIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, DefineRole{"TMF_SPEC", std::string(129, 'n'), ""}), Invalid("name"));
}

TEST_F(Roles, FamilyOver128BytesIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, DefineRole{"TMF_SPEC", "", std::string(129, 'f')}), Invalid("family"));
}

TEST_F(Roles, EmptyNameAndFamilyAreAccepted) {
  EXPECT_EQ(Run(kAdmin, DefineRole{"TMF_SPEC", "", ""}), (Lines{"RoleDefined"}));
}

TEST_F(Roles, RedefiningARoleReplacesItsNameAndFamily) {
  EXPECT_EQ(Run(kAdmin, DefineRole{"CTA", "Trial assistant", "Ops"}), (Lines{"RoleDefined"}));
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Roles, NewRoleCanBeTradedAtOnce) {
  Run(kAdmin, DefineRole{"TMF_SPEC", "TMF specialist", "Clinical operations"});
  PublishOffer o = Offer();
  o.role = "TMF_SPEC";
  Publish(o);
  SubmitRequest r = Request();
  r.role = "TMF_SPEC";
  Submit(r);
  EXPECT_EQ(sink().fills.size(), 1u);
}

// ---- Locations.

TEST_F(Locations, UnspecifiedKindIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(0, "APAC")), Invalid("kind"));
}

TEST_F(Locations, UnknownKindIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(4, "APAC")), Invalid("kind"));
}

TEST_F(Locations, EmptyCodeIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kRegion, "")), Invalid("code"));
}

TEST_F(Locations, CodeOver128BytesIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kRegion, std::string(129, 'A'))), Invalid("code"));
}

TEST_F(Locations, RegionWithAParentIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kRegion, "APAC", "EU")), Invalid("parent"));
}

TEST_F(Locations, CountryWithoutParentIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kCountry, "FR")), Invalid("parent"));
}

TEST_F(Locations, CountryWithAnUnknownParentIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kCountry, "JP", "APAC")), Invalid("parent"));
}

TEST_F(Locations, CountryUnderACountryIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kCountry, "FR", "GB")), Invalid("parent"));
}

TEST_F(Locations, CountryUnderAHubIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kCountry, "FR", "MX-CTA-HUB")), Invalid("parent"));
}

TEST_F(Locations, HubWithoutParentIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kHub, "BR-HUB")), Invalid("parent"));
}

TEST_F(Locations, HubUnderARegionIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kHub, "BR-HUB", "LATAM")), Invalid("parent"));
}

TEST_F(Locations, HubUnderAHubIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kHub, "BR-HUB", "MX-CTA-HUB")), Invalid("parent"));
}

TEST_F(Locations, ChangingALocationsKindIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Location(kHub, "MX", "BR")), Invalid("kind"));
  EXPECT_EQ(Refusal(kAdmin, Location(kCountry, "LATAM", "EU")), Invalid("kind"));
  EXPECT_EQ(Refusal(kAdmin, Location(kRegion, "GB")), Invalid("kind"));
}

TEST_F(Locations, KindChangeIsReportedBeforeABadParent) {
  EXPECT_EQ(Refusal(kAdmin, Location(kHub, "MX", "")), Invalid("kind"));
}

TEST_F(Locations, CountryMayMoveToAnotherRegion) {
  EXPECT_EQ(Run(kAdmin, Location(kCountry, "MX", "EU")), (Lines{"LocationDefined"}));
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Locations, HubMayMoveToAnotherCountry) {
  EXPECT_EQ(Run(kAdmin, Location(kHub, "MX-CTA-HUB", "BR")), (Lines{"LocationDefined"}));
  PublishOffer o = Offer();
  o.country = "BR";
  o.hub = "MX-CTA-HUB";
  Publish(o);
}

TEST_F(Locations, RedefiningWithTheSameParentIsAccepted) {
  EXPECT_EQ(Run(kAdmin, Location(kCountry, "MX", "LATAM")), (Lines{"LocationDefined"}));
}

TEST_F(Locations, NewCountryCanBeTradedAtOnce) {
  Run(kAdmin, Location(kCountry, "AR", "LATAM"));
  PublishOffer o = Offer();
  o.country = "AR";
  Publish(o);
  Submit(Request());  // LATAM
  EXPECT_EQ(sink().fills.size(), 1u);
}

// ---- Participants.

TEST_F(Participants, EmptyIdIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{"", kSponsor, "x"}), Invalid("id"));
}

TEST_F(Participants, IdOver128BytesIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{std::string(129, 'p'), kSponsor, ""}), Invalid("id"));
}

TEST_F(Participants, UnspecifiedKindIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{"S3", 0, ""}), Invalid("kind"));
}

TEST_F(Participants, UnknownKindIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{"S3", 3, ""}), Invalid("kind"));
}

TEST_F(Participants, NameOver128BytesIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{"S3", kSponsor, std::string(129, 'n')}),
            Invalid("name"));
}

TEST_F(Participants, ChangingAParticipantsKindIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{"S1", kVendor, ""}), Invalid("kind"));
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{"V1", kSponsor, ""}), Invalid("kind"));
}

// Fields are checked in proto field-number order: kind (2) before name (3).
TEST_F(Participants, KindChangeIsReportedBeforeABadName) {
  EXPECT_EQ(Refusal(kAdmin, UpsertParticipant{"S1", kVendor, std::string(129, 'n')}),
            Invalid("kind"));
}

TEST_F(Participants, RenamingIsAccepted) {
  EXPECT_EQ(Run(kAdmin, UpsertParticipant{"S1", kSponsor, "New name"}),
            (Lines{"ParticipantUpserted"}));
  EXPECT_TRUE(LastCommandChangedState());
}

TEST_F(Participants, NewSponsorMaySubmitAtOnce) {
  Run(kAdmin, UpsertParticipant{"S3", kSponsor, ""});
  Submit(Request(), "sponsor:S3");
}

// ---- Contracts.

TEST_F(Contracts, EmptyContractIdIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("", "S2", "V2")), Invalid("contract_id"));
}

TEST_F(Contracts, VendorAsSponsorIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C9", "V2", "V3")), Invalid("sponsor_id"));
}

TEST_F(Contracts, UnknownSponsorIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C9", "S9", "V2")), Invalid("sponsor_id"));
}

TEST_F(Contracts, EmptySponsorIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C9", "", "V2")), Invalid("sponsor_id"));
}

TEST_F(Contracts, SponsorAsVendorIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C9", "S2", "S1")), Invalid("vendor_id"));
}

TEST_F(Contracts, UnknownVendorIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C9", "S2", "V9")), Invalid("vendor_id"));
}

TEST_F(Contracts, ChangingAContractsSponsorIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C2", "S2", "V2")), Invalid("sponsor_id"));
}

TEST_F(Contracts, ChangingAContractsVendorIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C3", "S2", "V3")), Invalid("vendor_id"));
}

TEST_F(Contracts, NegativeMaxFteIsInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.max_fte_milli = -1;
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("max_fte_milli"));
}

TEST_F(Contracts, MaxFteAboveOneBillionIsInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.max_fte_milli = 1'000'000'001;
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("max_fte_milli"));
  c.max_fte_milli = 1'000'000'000;
  EXPECT_EQ(Run(kAdmin, c), (Lines{"ContractUpserted"}));
}

TEST_F(Contracts, CardEntryWithAnUnknownCountryNamesItsPath) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "MX", 3000), Entry("CTA", 2, "XX", 3000)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[1].country"));
}

TEST_F(Contracts, CardEntryWithARegionAsCountryIsInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "LATAM", 3000)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[0].country"));
}

TEST_F(Contracts, CardEntryWithAHubAsCountryIsInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "MX-CTA-HUB", 3000)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[0].country"));
}

TEST_F(Contracts, CardEntryWithAnUnknownRoleIsInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "MX", 3000), Entry("CRA", 2, "MX", 3000), Entry("XYZ", 2, "MX", 1)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[2].role"));
}

TEST_F(Contracts, CardEntryWithSeniorityOutsideOneToFiveIsInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 0, "MX", 3000)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[0].seniority"));
  c.rates = {Entry("CTA", 6, "MX", 3000)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[0].seniority"));
}

TEST_F(Contracts, CardEntryWithMaxRateOutOfRangeIsInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "MX", 0)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[0].max_rate"));
  c.rates = {Entry("CTA", 2, "MX", 100'000'001)};
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates[0].max_rate"));
}

TEST_F(Contracts, MoreThan100000CardEntriesAreInvalidArgument) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates.assign(100'001, Entry("CTA", 2, "MX", 3000));
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("rates"));
  c.rates.pop_back();
  EXPECT_EQ(Run(kAdmin, c), (Lines{"ContractUpserted"}));
}

TEST_F(Contracts, SecondContractForAPairIsAlreadyExists) {
  EXPECT_EQ(Refusal(kAdmin, Contract("C9", "S1", "V1")), Rejected("ALREADY_EXISTS", "contract_id"));
}

TEST_F(Contracts, FieldsAreCheckedBeforeAlreadyExists) {
  UpsertContract c = Contract("C9", "S1", "V1");
  c.max_fte_milli = -1;
  EXPECT_EQ(Refusal(kAdmin, c), Invalid("max_fte_milli"));
}

TEST_F(Contracts, UpsertOfTheSameContractReplacesIt) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.active = false;
  EXPECT_EQ(Run(kAdmin, c), (Lines{"ContractUpserted"}));
  EXPECT_TRUE(LastCommandChangedState());
  EXPECT_FALSE(V1TradesAt(4000));
}

TEST_F(Contracts, NewContractLetsAPairTrade) {
  EXPECT_EQ(Run(kAdmin, Contract("C5", "S2", "V2")), (Lines{"ContractUpserted"}));
  Publish(Offer(), kV2);
  Submit(Request(), kS2);
  ASSERT_EQ(sink().fills.size(), 1u);
  EXPECT_EQ(sink().fills[0].contract_id, "C5");
}

// ---- Rate cards.

TEST_F(RateCards, UpsertReplacesTheWholeCard) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "MX", 3000)};
  Run(kAdmin, c);
  EXPECT_FALSE(V1TradesAt(4000));
  c.rates = {Entry("CRA", 2, "MX", 3000)};
  Run(kAdmin, c);
  EXPECT_TRUE(V1TradesAt(4000));
}

TEST_F(RateCards, LaterDuplicateKeyInACardWins) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "MX", 3000), Entry("CTA", 2, "MX", 4500)};
  Run(kAdmin, c);
  EXPECT_TRUE(V1TradesAt(4000));
  c.rates = {Entry("CTA", 2, "MX", 4500), Entry("CTA", 2, "MX", 3000)};
  Run(kAdmin, c);
  EXPECT_FALSE(V1TradesAt(4000));
}

TEST_F(RateCards, PatchAddsAnEntry) {
  EXPECT_EQ(Run(kAdmin, PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000)}, {}}),
            (Lines{"RateCardPatched"}));
  EXPECT_FALSE(V1TradesAt(4000));
  EXPECT_TRUE(V1TradesAt(3000));
}

TEST_F(RateCards, PatchRemovesAnEntry) {
  Run(kAdmin, PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000)}, {}});
  EXPECT_EQ(Run(kAdmin, PatchRateCard{"C1", {}, {RateCardKey{"CTA", 2, "MX"}}}),
            (Lines{"RateCardPatched"}));
  EXPECT_TRUE(V1TradesAt(4000));
}

TEST_F(RateCards, PatchAppliesRemovalsBeforeUpserts) {
  EXPECT_EQ(Run(kAdmin,
                PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000)}, {RateCardKey{"CTA", 2, "MX"}}}),
            (Lines{"RateCardPatched"}));
  EXPECT_FALSE(V1TradesAt(4000));  // the upsert stands
}

TEST_F(RateCards, PatchKeepsTheRestOfTheCard) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 2, "MX", 3000)};
  Run(kAdmin, c);
  Run(kAdmin, PatchRateCard{"C1", {Entry("CRA", 2, "MX", 9000)}, {RateCardKey{"CTA", 3, "MX"}}});
  EXPECT_FALSE(V1TradesAt(4000));
}

TEST_F(RateCards, LaterDuplicateKeyInAPatchWins) {
  Run(kAdmin, PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000), Entry("CTA", 2, "MX", 4500)}, {}});
  EXPECT_TRUE(V1TradesAt(4000));
}

TEST_F(RateCards, RemovingAnAbsentKeyIsNotAnError) {
  EXPECT_EQ(Run(kAdmin, PatchRateCard{"C1", {}, {RateCardKey{"CRA", 5, "GB"}}}),
            (Lines{"RateCardPatched"}));
}

TEST_F(RateCards, PatchOfAnUnknownContractIsNotFound) {
  EXPECT_EQ(Refusal(kAdmin, PatchRateCard{"C9", {Entry("CTA", 2, "MX", 3000)}, {}}),
            Rejected("NOT_FOUND", "contract_id"));
}

TEST_F(RateCards, PatchWithEmptyContractIdIsInvalidArgument) {
  EXPECT_EQ(Refusal(kAdmin, PatchRateCard{"", {}, {}}), Invalid("contract_id"));
}

TEST_F(RateCards, PatchFieldsAreCheckedBeforeNotFound) {
  EXPECT_EQ(Refusal(kAdmin, PatchRateCard{"C9", {Entry("CTA", 2, "MX", 0)}, {}}),
            Invalid("upserts[0].max_rate"));
}

TEST_F(RateCards, PatchUpsertWithAnUnknownCountryNamesItsPath) {
  EXPECT_EQ(
      Refusal(kAdmin,
              PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000), Entry("CTA", 2, "ZZ", 1)}, {}}),
      Invalid("upserts[1].country"));
}

TEST_F(RateCards, PatchRemovalWithBadSeniorityNamesItsPath) {
  EXPECT_EQ(
      Refusal(kAdmin,
              PatchRateCard{"C1", {}, {RateCardKey{"CTA", 2, "MX"}, RateCardKey{"CTA", 9, "MX"}}}),
      Invalid("removals[1].seniority"));
}

TEST_F(RateCards, PatchRemovalWithUnknownRoleNamesItsPath) {
  EXPECT_EQ(Refusal(kAdmin, PatchRateCard{"C1", {}, {RateCardKey{"XYZ", 2, "MX"}}}),
            Invalid("removals[0].role"));
}

TEST_F(RateCards, MoreThan100000RemovalsAreInvalidArgument) {
  PatchRateCard patch{"C1", {}, {}};
  patch.removals.assign(100'001, RateCardKey{"CTA", 2, "MX"});
  EXPECT_EQ(Refusal(kAdmin, patch), Invalid("removals"));
}

TEST_F(RateCards, PatchUpsertsAreCheckedBeforeRemovals) {
  EXPECT_EQ(Refusal(kAdmin,
                    PatchRateCard{"C1", {Entry("CTA", 2, "MX", 0)}, {RateCardKey{"XYZ", 2, "MX"}}}),
            Invalid("upserts[0].max_rate"));
}

TEST_F(RateCards, CardChangeAffectsOnlyLaterFills) {
  PublishOffer o = Offer();
  o.fte_milli = 2000;
  Publish(o, kV1);
  Submit(Request());  // trades 1000 at 4000
  ASSERT_EQ(sink().fills.size(), 1u);
  Run(kAdmin, PatchRateCard{"C1", {Entry("CTA", 2, "MX", 3000)}, {}});
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, Request()), (Lines{Accepted(r)}));  // the rest of the offer is capped now
}

}  // namespace
}  // namespace market::matcher::testing
