// API.md "Order of a command's events": the accept (or amend) first, each
// fill followed by the close of a resting order it emptied, the close of the
// incoming order last; assignment ids are A<sequence>-<index of the event>.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

class EventOrder : public MarketFixture {
 protected:
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
  // Indexes of the AssignmentCreated events of the last command: the
  // <index> part of their assignment ids.
  std::vector<uint32_t> AssignmentIndexes() const {
    std::vector<uint32_t> out;
    for (size_t i = 0; i < sink().lines.size(); ++i) {
      if (sink().lines[i].rfind("Assignment ", 0) == 0) out.push_back(sink().indexes[i]);
    }
    return out;
  }
};

TEST_F(EventOrder, IncomingRequestAcceptFillsRestingClosesThenItsOwnClose) {
  const std::string a = Publish(OfferOf(400, 4000));
  const std::string b = Publish(OfferOf(400, 4100));
  const std::string c = Publish(OfferOf(1000, 4200));
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, a, "400@4000 C1 rem 600/0"), Closed(a, "EXHAUSTED"),
                   Assigned(r, b, "400@4100 C1 rem 200/0"), Closed(b, "EXHAUSTED"),
                   Assigned(r, c, "200@4200 C1 rem 0/800"), Closed(r, "FILLED")}));
  EXPECT_EQ(sink().indexes, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5, 6}));
}

TEST_F(EventOrder, IncomingOfferAcceptFillsRestingClosesThenItsOwnClose) {
  const std::string a = Submit(RequestOf(400));
  const std::string b = Submit(RequestOf(1000));
  PublishOffer offer = OfferOf(1400, 4000);
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, offer), (Lines{Accepted(o), Assigned(a, o, "400@4000 C1 rem 0/1000"),
                                    Closed(a, "FILLED"), Assigned(b, o, "1000@4000 C1 rem 0/0"),
                                    Closed(b, "FILLED"), Closed(o, "EXHAUSTED")}));
  EXPECT_EQ(sink().indexes, (std::vector<uint32_t>{0, 1, 2, 3, 4, 5}));
}

TEST_F(EventOrder, AssignmentIdsUseTheIndexOfTheirEvent) {
  Publish(OfferOf(600, 4000));
  Publish(OfferOf(600, 4100));
  Run(kS1, RequestOf(1000));
  // A<seq>-1 and A<seq>-3: the first fill emptied its offer, whose close is
  // event 2.
  EXPECT_EQ(AssignmentIndexes(), (std::vector<uint32_t>{1, 3}));
}

TEST_F(EventOrder, AssignmentIdsAreConsecutiveWhenNoRestingOrderCloses) {
  UpsertContract c2 = Contract("C2", "S1", "V2");
  c2.max_fte_milli = 500;
  Run(kAdmin, c2);
  const std::string v2 = Publish(OfferOf(1000, 4000), kV2);  // only 500 fit under C2
  const std::string v1 = Publish(OfferOf(1000, 4100), kV1);
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, RequestOf(1000)),
            (Lines{Accepted(r), Assigned(r, v2, "500@4000 C2 rem 500/500"),
                   Assigned(r, v1, "500@4100 C1 rem 0/500"), Closed(r, "FILLED")}));
  EXPECT_EQ(AssignmentIndexes(), (std::vector<uint32_t>{1, 2}));
}

TEST_F(EventOrder, AssignmentCarriesTheOffersSeniorityCountryAndHubAndTheContract) {
  PublishOffer offer = OfferOf(1000, 4000);
  offer.seniority = 4;
  offer.hub = "MX-CTA-HUB";
  Publish(offer, kV2);
  Run(kS1, RequestOf(1000));
  ASSERT_EQ(sink().fills.size(), 1u);
  const Fill& f = sink().fills[0];
  EXPECT_EQ(f.contract_id, "C2");
  EXPECT_EQ(f.sponsor_id, "S1");
  EXPECT_EQ(f.vendor_id, "V2");
  EXPECT_EQ(f.seniority, 4);
  EXPECT_EQ(f.country, "MX");
  EXPECT_EQ(f.hub, "MX-CTA-HUB");
}

TEST_F(EventOrder, AmendEventComesBeforeTheFillsItCauses) {
  const std::string r = Submit(RequestOf(1000));
  PublishOffer dear = OfferOf(1000, 5500);
  const std::string o = Publish(dear);
  const uint64_t amend = next_sequence();
  EXPECT_EQ(Run(kS1, RequestAmend(r, 0, 6000)),
            (Lines{Amended(r, 1000, 6000, amend), Assigned(r, o, "1000@5500 C1 rem 0/0"),
                   Closed(o, "EXHAUSTED"), Closed(r, "FILLED")}));
  EXPECT_EQ(AssignmentIndexes(), (std::vector<uint32_t>{1}));
}

TEST_F(EventOrder, IncomingCloseComesAfterAllFillsOfAnIocRemainder) {
  const std::string o = Publish(OfferOf(300, 4000));
  SubmitRequest req = RequestOf(1000);
  req.time_in_force = kIoc;
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req), (Lines{Accepted(r), Assigned(r, o, "300@4000 C1 rem 700/0"),
                                  Closed(o, "EXHAUSTED"), Closed(r, "IOC_REMAINDER")}));
}

}  // namespace
}  // namespace market::matcher::testing
