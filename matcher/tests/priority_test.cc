// MATCHING.md "Priority": which resting order an incoming order meets first,
// and at what price.
#include <gtest/gtest.h>

#include "matcher/tests/market_fixture.h"

namespace market::matcher::testing {
namespace {

using Priority = MarketFixture;

TEST_F(Priority, CheaperOfferFillsFirst) {
  PublishOffer dear = Offer();
  dear.rate = 4500;
  Publish(dear, kV1);
  PublishOffer cheap = Offer();
  cheap.rate = 4000;
  const std::string o_cheap = Publish(cheap, kV2);

  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, Request()), (Lines{Accepted(r), Assigned(r, o_cheap, "1000@4000 C2 rem 0/0"),
                                        Closed(o_cheap, "EXHAUSTED"), Closed(r, "FILLED")}));
}

TEST_F(Priority, EqualRateOffersFillEarlierFirst) {
  const std::string o_first = Publish(Offer(), kV2);
  Publish(Offer(), kV1);

  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, Request()), (Lines{Accepted(r), Assigned(r, o_first, "1000@4000 C2 rem 0/0"),
                                        Closed(o_first, "EXHAUSTED"), Closed(r, "FILLED")}));
}

// The worked example price_then_time: rate first, then time.
TEST_F(Priority, RequestMeetsOffersByRateThenTime) {
  PublishOffer a = Offer();
  a.fte_milli = 500;
  a.rate = 4000;
  const std::string o_a = Publish(a, kV1);
  PublishOffer b = Offer();
  b.fte_milli = 700;
  b.rate = 3900;
  const std::string o_b = Publish(b, kV2);
  PublishOffer c = Offer();
  c.fte_milli = 500;
  c.rate = 4000;
  Publish(c, kV2);

  SubmitRequest req = Request();
  req.max_rate = 4500;
  const std::string r = NextId('R');
  EXPECT_EQ(Run(kS1, req),
            (Lines{Accepted(r), Assigned(r, o_b, "700@3900 C2 rem 300/0"), Closed(o_b, "EXHAUSTED"),
                   Assigned(r, o_a, "300@4000 C1 rem 0/200"), Closed(r, "FILLED")}));
}

TEST_F(Priority, HigherMaxRateRequestFillsFirst) {
  SubmitRequest low = Request();
  low.max_rate = 4500;
  Submit(low);
  SubmitRequest high = Request();
  high.max_rate = 5000;
  const std::string r_high = Submit(high);

  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, Offer()), (Lines{Accepted(o), Assigned(r_high, o, "1000@4000 C1 rem 0/0"),
                                      Closed(r_high, "FILLED"), Closed(o, "EXHAUSTED")}));
}

TEST_F(Priority, EqualMaxRateRequestsFillEarlierFirst) {
  const std::string r_first = Submit(Request(), kS2);
  Submit(Request(), kS1);

  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, Offer()), (Lines{Accepted(o), Assigned(r_first, o, "1000@4000 C3 rem 0/0"),
                                      Closed(r_first, "FILLED"), Closed(o, "EXHAUSTED")}));
}

TEST_F(Priority, IncomingRequestPaysTheRestingOffersRate) {
  PublishOffer offer = Offer();
  offer.rate = 3100;
  Publish(offer);
  SubmitRequest req = Request();
  req.max_rate = 5000;

  Run(kS1, req);
  ASSERT_EQ(sink().fills.size(), 1u);
  EXPECT_EQ(sink().fills[0].rate, 3100);
}

TEST_F(Priority, IncomingOfferIsPaidItsOwnRate) {
  SubmitRequest req = Request();
  req.max_rate = 5000;
  Submit(req);
  PublishOffer offer = Offer();
  offer.rate = 3100;

  Run(kV1, offer);
  ASSERT_EQ(sink().fills.size(), 1u);
  EXPECT_EQ(sink().fills[0].rate, 3100);
}

TEST_F(Priority, RequestWalkStopsAtItsMaxRate) {
  PublishOffer a = Offer();
  a.fte_milli = 500;
  a.rate = 4000;
  const std::string o_a = Publish(a);
  PublishOffer b = Offer();
  b.fte_milli = 500;
  b.rate = 5000;
  const std::string o_b = Publish(b);
  PublishOffer c = Offer();
  c.fte_milli = 500;
  c.rate = 5001;
  Publish(c);

  SubmitRequest req = Request();
  req.fte_milli = 2000;
  req.max_rate = 5000;
  const std::string r = NextId('R');
  EXPECT_EQ(
      Run(kS1, req),
      (Lines{Accepted(r), Assigned(r, o_a, "500@4000 C1 rem 1500/0"), Closed(o_a, "EXHAUSTED"),
             Assigned(r, o_b, "500@5000 C1 rem 1000/0"), Closed(o_b, "EXHAUSTED")}));
  EXPECT_EQ(engine().open_requests(), 1u);
  EXPECT_EQ(engine().open_offers(), 1u);
}

TEST_F(Priority, OfferWalkStopsAtItsRate) {
  SubmitRequest a = Request();
  a.max_rate = 5000;
  const std::string r_a = Submit(a);
  SubmitRequest b = Request();
  b.max_rate = 4000;
  const std::string r_b = Submit(b);
  SubmitRequest c = Request();
  c.max_rate = 3999;
  Submit(c);

  PublishOffer offer = Offer();
  offer.fte_milli = 3000;
  offer.rate = 4000;
  const std::string o = NextId('O');
  EXPECT_EQ(Run(kV1, offer),
            (Lines{Accepted(o), Assigned(r_a, o, "1000@4000 C1 rem 0/2000"), Closed(r_a, "FILLED"),
                   Assigned(r_b, o, "1000@4000 C1 rem 0/1000"), Closed(r_b, "FILLED")}));
  EXPECT_EQ(engine().open_requests(), 1u);
  EXPECT_EQ(engine().open_offers(), 1u);
}

}  // namespace
}  // namespace market::matcher::testing
