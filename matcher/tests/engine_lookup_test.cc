// Engine lookups of one entity (engine.h, engine_lookup.cc): each answers the
// entity as it stands now, equal to its entry in Snapshot(), and nothing for
// what does not exist.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "matcher/engine.h"
#include "matcher/internal/text.h"
#include "matcher/tests/market_fixture.h"
#include "matcher/tests/random_commands.h"

namespace market::matcher::testing {
namespace {

using internal::Cat;

// Every field, so that two values compare as text.
std::string Text(const std::vector<std::string>& v) {
  std::string out = "[";
  for (const std::string& s : v) out += s + ",";
  return out + "]";
}
std::string Text(const std::vector<int32_t>& v) {
  std::string out = "[";
  for (int32_t i : v) out += Cat(i, ",");
  return out + "]";
}
std::string Text(const EngineSnapshot::OpenRequest& r) {
  const SubmitRequest& q = r.order;
  return Cat("R", r.id, " p", r.priority_sequence, " rem ", r.remaining_milli, " ", q.sponsor_id,
             " ", q.client_ref, " ", q.role, " ", q.min_seniority, " ", Text(q.locations), " ",
             q.fte_milli, " ", q.min_slice_milli, " ", q.max_vendors, " ", q.max_rate, " ",
             q.start_date, " ", q.end_date, " ", Text(q.engagement_models), " ",
             Text(q.required_tags), " ", Text(q.vendor_allowlist), " ", q.time_in_force, " ",
             q.all_or_none ? 1 : 0, " ", Text(r.vendors_used));
}
std::string Text(const EngineSnapshot::OpenOffer& o) {
  const PublishOffer& p = o.order;
  return Cat("O", o.id, " p", o.priority_sequence, " rem ", o.remaining_milli, " ", p.vendor_id,
             " ", p.client_ref, " ", p.role, " ", p.seniority, " ", p.country, " ", p.hub, " ",
             p.fte_milli, " ", p.min_slice_milli, " ", p.rate, " ", p.available_from, " ",
             p.available_until, " ", p.engagement_model, " ", Text(p.tags), " ", p.time_in_force);
}
std::string Text(const EngineSnapshot::Contract& c) {
  std::string out =
      Cat(c.contract.contract_id, " ", c.contract.sponsor_id, " ", c.contract.vendor_id, " ",
          c.contract.active ? 1 : 0, " ", c.contract.max_fte_milli, " used ", c.used_fte_milli);
  for (const RateCardEntry& e : c.contract.rates) {
    out += Cat(" ", e.role, "/", e.seniority, "/", e.country, "=", e.max_rate);
  }
  return out;
}
std::string Text(const EngineSnapshot::ClosedOrder& c) {
  return Cat(c.id, " ", c.side == Side::kRequest ? "request" : "offer", " ", c.owner);
}

using Lookup = MarketFixture;

TEST_F(Lookup, AnOpenRequestShowsItsStoredFieldsAndBookState) {
  SubmitRequest r = Request();
  r.fte_milli = 1500;
  r.required_tags = {"gcp"};
  const std::string id = Submit(r);
  PublishOffer o = Offer();
  o.fte_milli = 600;
  o.tags = {"x", "gcp"};
  Publish(o);
  const auto found = engine().FindOpenRequest(Seq(id));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, Seq(id));
  EXPECT_EQ(found->priority_sequence, Seq(id));
  EXPECT_EQ(found->remaining_milli, 900);
  EXPECT_EQ(found->order.sponsor_id, "S1") << "the owner is filled in";
  EXPECT_EQ(found->order.min_seniority, 1) << "0 defaulted to 1";
  EXPECT_EQ(found->order.time_in_force, static_cast<int32_t>(TimeInForce::kGtc));
  EXPECT_EQ(found->order.client_ref, r.client_ref);
  EXPECT_EQ(found->order.required_tags, std::vector<std::string>{"gcp"});
  EXPECT_EQ(found->order.start_date, "2026-03-01");
  EXPECT_EQ(found->vendors_used, std::vector<std::string>{"V1"});
  EXPECT_FALSE(engine().FindOpenOffer(Seq(id)).has_value()) << "an id names one side";
  EXPECT_FALSE(engine().FindClosedOrder(Seq(id)).has_value());
}

TEST_F(Lookup, AnAmendedOfferShowsItsNewPriceAndPriority) {
  PublishOffer o = Offer();
  o.hub = "MX-CTA-HUB";
  const std::string id = Publish(o);
  const uint64_t amend = next_sequence();
  Run(kV1, OfferAmend(id, 0, 4500));
  const auto found = engine().FindOpenOffer(Seq(id));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->order.rate, 4500);
  EXPECT_EQ(found->priority_sequence, amend);
  EXPECT_EQ(found->order.vendor_id, "V1");
  EXPECT_EQ(found->order.hub, "MX-CTA-HUB");
  EXPECT_EQ(found->order.available_until, "") << "open ended";
  EXPECT_EQ(found->order.engagement_model, static_cast<int32_t>(EngagementModel::kFsp));
}

TEST_F(Lookup, AFilledOrderIsFoundOnlyAsClosed) {
  const std::string offer = Publish(Offer());
  const std::string request = Submit(Request());
  for (const std::string& id : {offer, request}) {
    EXPECT_FALSE(engine().FindOpenRequest(Seq(id)).has_value()) << id;
    EXPECT_FALSE(engine().FindOpenOffer(Seq(id)).has_value()) << id;
  }
  const auto closed_offer = engine().FindClosedOrder(Seq(offer));
  ASSERT_TRUE(closed_offer.has_value());
  EXPECT_EQ(Text(*closed_offer), Cat(Seq(offer), " offer V1"));
  const auto closed_request = engine().FindClosedOrder(Seq(request));
  ASSERT_TRUE(closed_request.has_value());
  EXPECT_EQ(Text(*closed_request), Cat(Seq(request), " request S1"));
}

TEST_F(Lookup, ACancelledRequestIsFoundAsClosed) {
  const std::string id = Submit(Request());
  Run(kS1, CancelRequest{id});
  EXPECT_FALSE(engine().FindOpenRequest(Seq(id)).has_value());
  ASSERT_TRUE(engine().FindClosedOrder(Seq(id)).has_value());
}

TEST_F(Lookup, IdsOfNoOrderFindNothing) {
  const uint64_t rejected = next_sequence();
  SubmitRequest bad = Request();
  bad.fte_milli = 0;
  Run(kS1, bad);
  for (const uint64_t id : {uint64_t{0}, uint64_t{1}, rejected, uint64_t{999}, UINT64_MAX}) {
    EXPECT_FALSE(engine().FindOpenRequest(id).has_value()) << id;
    EXPECT_FALSE(engine().FindOpenOffer(id).has_value()) << id;
    EXPECT_FALSE(engine().FindClosedOrder(id).has_value()) << id;
  }
}

TEST_F(Lookup, AContractShowsItsSortedCardAndItsUsage) {
  UpsertContract c = Contract("C1", "S1", "V1");
  c.rates = {Entry("CTA", 3, "MX", 6000), Entry("CRA", 2, "GB", 7000), Entry("CTA", 2, "MX", 5000)};
  Run(kAdmin, c);
  Publish(Offer());
  SubmitRequest r = Request();
  r.fte_milli = 400;
  Submit(r);
  const auto found = engine().FindContract("C1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(Text(*found), "C1 S1 V1 1 0 used 400 CRA/2/GB=7000 CTA/2/MX=5000 CTA/3/MX=6000");
  EXPECT_EQ(engine().FindContractUsage("C1"), 400);
  EXPECT_EQ(engine().FindContractUsage("C2"), 0);
  EXPECT_FALSE(engine().FindContract("C9").has_value());
  EXPECT_FALSE(engine().FindContractUsage("C9").has_value());
}

TEST_F(Lookup, ReferenceDataIsFoundByCode) {
  const auto role = engine().FindRole("CTA");
  ASSERT_TRUE(role.has_value());
  EXPECT_EQ(role->name, "Clinical trial assistant");
  EXPECT_EQ(role->family, "Clinical operations");
  const auto hub = engine().FindLocation("MX-CTA-HUB");
  ASSERT_TRUE(hub.has_value());
  EXPECT_EQ(hub->kind, kHub);
  EXPECT_EQ(hub->parent, "MX");
  const auto region = engine().FindLocation("LATAM");
  ASSERT_TRUE(region.has_value());
  EXPECT_EQ(region->parent, "");
  const auto participant = engine().FindParticipant("V2");
  ASSERT_TRUE(participant.has_value());
  EXPECT_EQ(participant->kind, kVendor);
  EXPECT_EQ(participant->name, "Vendor two");
  EXPECT_FALSE(engine().FindRole("XYZ").has_value());
  EXPECT_FALSE(engine().FindLocation("XYZ").has_value());
  EXPECT_FALSE(engine().FindParticipant("XYZ").has_value());
}

TEST_F(Lookup, AMovedCountryShowsItsNewParent) {
  Run(kAdmin, Location(kCountry, "MX", "EU"));
  EXPECT_EQ(engine().FindLocation("MX")->parent, "EU");
}

TEST_F(Lookup, AClientRefIsFoundForItsParticipantWithItsFirstSequence) {
  SubmitRequest r = Request();
  r.client_ref = "mine";
  const std::string id = Submit(r);
  Run(kS1, r);  // a duplicate keeps the first sequence
  EXPECT_EQ(engine().FindClientRef("S1", "mine"), Seq(id));
  EXPECT_FALSE(engine().FindClientRef("S2", "mine").has_value());
  EXPECT_FALSE(engine().FindClientRef("S1", "other").has_value());
  EXPECT_FALSE(engine().FindClientRef("NOBODY", "mine").has_value());
}

TEST_F(Lookup, ARejectedCommandUsesUpNoClientRef) {
  SubmitRequest r = Request();
  r.client_ref = "mine";
  r.fte_milli = 0;
  Run(kS1, r);
  EXPECT_FALSE(engine().FindClientRef("S1", "mine").has_value());
}

TEST_F(Lookup, TheLookupsIntoAnObjectOverwriteEverything) {
  SubmitRequest big = Request();
  big.locations = {"LATAM", "GB"};
  big.required_tags = {"a", "b"};
  big.vendor_allowlist = {"V1", "V2"};
  big.engagement_models = {kFsp, kTm};
  big.max_rate = 100;  // rests
  const std::string big_id = Submit(big);
  const std::string small_id = Submit(Request());
  PublishOffer hubbed = Offer();
  hubbed.hub = "MX-CTA-HUB";
  hubbed.available_until = "2027-01-01";
  hubbed.tags = {"x"};
  hubbed.rate = 999999;  // rests
  const std::string hubbed_id = Publish(hubbed);
  PublishOffer plain = Offer();
  plain.rate = 999998;
  const std::string plain_id = Publish(plain);

  EngineSnapshot::OpenRequest request;
  ASSERT_TRUE(engine().FindOpenRequest(Seq(big_id), &request));
  EXPECT_EQ(Text(request), Text(*engine().FindOpenRequest(Seq(big_id))));
  ASSERT_TRUE(engine().FindOpenRequest(Seq(small_id), &request) ||
              engine().FindClosedOrder(Seq(small_id)).has_value());
  if (engine().FindOpenRequest(Seq(small_id)).has_value()) {
    EXPECT_EQ(Text(request), Text(*engine().FindOpenRequest(Seq(small_id))));
  }
  EngineSnapshot::OpenOffer offer;
  ASSERT_TRUE(engine().FindOpenOffer(Seq(hubbed_id), &offer));
  ASSERT_TRUE(engine().FindOpenOffer(Seq(plain_id), &offer));
  EXPECT_EQ(Text(offer), Text(*engine().FindOpenOffer(Seq(plain_id))));
  EXPECT_EQ(offer.order.hub, "");
  EXPECT_EQ(offer.order.available_until, "");
  EXPECT_TRUE(offer.order.tags.empty());
  EXPECT_FALSE(engine().FindOpenOffer(Seq(big_id), &offer)) << "a request is no offer";
  EXPECT_FALSE(engine().FindOpenRequest(999, &request));
}

// Over a random stream, every entity of the snapshot is found with the same
// value, and nothing else is found.
TEST(LookupProperty, LookupsAgreeWithTheSnapshot) {
  RandomCommandGenerator generator(7);
  Engine engine;
  RecordingSink sink;
  uint64_t seq = 0;
  for (const Command& c : generator.Setup()) engine.Execute(++seq, c, sink);
  for (int i = 0; i < 3000; ++i) engine.Execute(++seq, generator.Next(), sink);
  const EngineSnapshot snapshot = engine.Snapshot();
  ASSERT_FALSE(snapshot.requests.empty());
  ASSERT_FALSE(snapshot.offers.empty());
  ASSERT_FALSE(snapshot.closed.empty());
  size_t orders = 0;
  for (const auto& r : snapshot.requests) {
    const auto found = engine.FindOpenRequest(r.id);
    ASSERT_TRUE(found.has_value()) << r.id;
    EXPECT_EQ(Text(*found), Text(r));
    ++orders;
  }
  for (const auto& o : snapshot.offers) {
    const auto found = engine.FindOpenOffer(o.id);
    ASSERT_TRUE(found.has_value()) << o.id;
    EXPECT_EQ(Text(*found), Text(o));
    ++orders;
  }
  for (const auto& c : snapshot.closed) {
    const auto found = engine.FindClosedOrder(c.id);
    ASSERT_TRUE(found.has_value()) << c.id;
    EXPECT_EQ(Text(*found), Text(c));
    ++orders;
  }
  size_t found_orders = 0;
  for (uint64_t id = 0; id <= seq + 1; ++id) {
    const int kinds = engine.FindOpenRequest(id).has_value() +
                      engine.FindOpenOffer(id).has_value() + engine.FindClosedOrder(id).has_value();
    EXPECT_LE(kinds, 1) << id;
    found_orders += static_cast<size_t>(kinds);
  }
  EXPECT_EQ(found_orders, orders);
  for (const auto& c : snapshot.contracts) {
    const auto found = engine.FindContract(c.contract.contract_id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(Text(*found), Text(c));
    EXPECT_EQ(engine.FindContractUsage(c.contract.contract_id), c.used_fte_milli);
  }
  for (const auto& ref : snapshot.client_refs) {
    EXPECT_EQ(engine.FindClientRef(ref.participant, ref.client_ref), ref.sequence);
  }
  for (const auto& role : snapshot.roles) {
    const auto found = engine.FindRole(role.code);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->name, role.name);
    EXPECT_EQ(found->family, role.family);
  }
  for (const auto& location : snapshot.locations) {
    const auto found = engine.FindLocation(location.code);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->kind, location.kind);
    EXPECT_EQ(found->parent, location.parent);
  }
  for (const auto& participant : snapshot.participants) {
    const auto found = engine.FindParticipant(participant.id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->kind, participant.kind);
    EXPECT_EQ(found->name, participant.name);
  }
}

}  // namespace
}  // namespace market::matcher::testing
