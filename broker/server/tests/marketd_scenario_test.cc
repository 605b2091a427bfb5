// marketd over gRPC on loopback: a sponsor and a vendor trade, retries are
// idempotent, restarts keep everything, rejections name their field.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "broker/server/tests/marketd_fixture.h"
#include "codec/json_lines.h"
#include "tools/client/market_client.h"

namespace market::server::testing {
namespace {

namespace pb = marketplace::v1;

constexpr char kOffer[] =
    R"({"publishOffer": {"clientRef": "o1", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "500", "rate": "4000", "availableFrom": "2026-01-01"}})";
constexpr char kRequest[] =
    R"({"submitRequest": {"clientRef": "r1", "role": "CTA", "locations": ["LATAM"], "fteMilli": "1000", "maxRate": "4500", "startDate": "2026-03-01", "endDate": "2026-12-31"}})";

class MarketdScenarioTest : public MarketdTest {};

TEST_F(MarketdScenarioTest, VendorOfferAndSponsorRequestTradeAndBothSeeTheFill) {
  SeedReferenceData();
  const pb::CommandResult offer = SendOk("vendor:V1", kOffer);
  ASSERT_EQ(offer.events_size(), 1);
  ASSERT_TRUE(offer.events(0).has_offer_accepted());
  const std::string offer_id = offer.events(0).offer_accepted().offer_id();

  const pb::CommandResult request = SendOk("sponsor:S1", kRequest);
  ASSERT_GE(request.events_size(), 2);
  const pb::AssignmentCreated& fill = request.events(1).assignment_created();
  EXPECT_EQ(fill.offer_id(), offer_id);
  EXPECT_EQ(fill.fte_milli(), 500);
  EXPECT_EQ(fill.rate(), 4000);
  EXPECT_EQ(request.events(0).principal(), "sponsor:S1");
  EXPECT_GT(request.events(0).timestamp_unix_nanos(), 0u);

  // The sponsor reads its request back with what it still wants.
  grpc::ClientContext get_context;
  client::Prepare(&get_context, key("sponsor:S1"));
  pb::GetRequestRequest get;
  get.set_request_id(request.events(0).request_accepted().request_id());
  pb::Request stored;
  const grpc::Status got =
      pb::SponsorService::NewStub(channel())->GetRequest(&get_context, get, &stored);
  ASSERT_TRUE(got.ok()) << got.error_message();
  EXPECT_EQ(stored.remaining_milli(), 500);

  // Both parties see the fill on their own stream.
  for (const std::string who : {"sponsor:S1", "vendor:V1"}) {
    grpc::ClientContext watch_context;
    client::Prepare(&watch_context, key(who), std::chrono::seconds(10));
    pb::WatchAssignmentsRequest watch;
    std::unique_ptr<grpc::ClientReader<pb::Event>> reader =
        who.starts_with("sponsor")
            ? pb::SponsorService::NewStub(channel())->WatchAssignments(&watch_context, watch)
            : pb::VendorService::NewStub(channel())->WatchAssignments(&watch_context, watch);
    pb::Event event;
    ASSERT_TRUE(reader->Read(&event)) << who;
    EXPECT_EQ(event.assignment_created().assignment_id(), fill.assignment_id()) << who;
    watch_context.TryCancel();
  }
}

TEST_F(MarketdScenarioTest, GetRequestReadsOnlyTheCanonicalIdTheEngineIssued) {
  SeedReferenceData();
  const pb::CommandResult request = SendOk("sponsor:S1", kRequest);
  const std::string id = request.events(0).request_accepted().request_id();
  ASSERT_EQ(id[0], 'R');
  for (const std::string& other : {"R0" + id.substr(1), "R+" + id.substr(1), "R " + id.substr(1)}) {
    grpc::ClientContext context;
    client::Prepare(&context, key("sponsor:S1"));
    pb::GetRequestRequest get;
    get.set_request_id(other);
    pb::Request stored;
    const grpc::Status status =
        pb::SponsorService::NewStub(channel())->GetRequest(&context, get, &stored);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << other;
  }
  grpc::ClientContext context;
  client::Prepare(&context, key("sponsor:S1"));
  pb::GetRequestRequest get;
  get.set_request_id(id);
  pb::Request stored;
  EXPECT_TRUE(pb::SponsorService::NewStub(channel())->GetRequest(&context, get, &stored).ok());
}

TEST_F(MarketdScenarioTest, RejectedCommandAnswersItsCodeAndFieldAndIsJournaled) {
  SeedReferenceData();
  pb::CommandResult result;
  const grpc::Status status = Send(
      "sponsor:S1",
      R"({"submitRequest": {"clientRef": "bad", "role": "CTA", "locations": ["LATAM"], "fteMilli": "0", "maxRate": "4500", "startDate": "2026-03-01", "endDate": "2026-12-31"}})",
      &result);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(status.error_message().find("fte_milli"), std::string::npos) << status.error_message();

  grpc::ClientContext context;
  client::Prepare(&context, key("ops"), std::chrono::seconds(10));
  pb::StreamEventsRequest request;
  request.add_event_types("command_rejected");
  auto reader = pb::OpsService::NewStub(channel())->StreamEvents(&context, request);
  pb::Event event;
  ASSERT_TRUE(reader->Read(&event));
  EXPECT_EQ(event.command_rejected().field(), "fte_milli");
  context.TryCancel();
}

TEST_F(MarketdScenarioTest, RetryWithTheSameClientRefGetsTheOriginalOutcome) {
  SeedReferenceData();
  const pb::CommandResult first = SendOk("vendor:V1", kOffer);
  const pb::CommandResult retry = SendOk("vendor:V1", kOffer);
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.original_sequence(), first.sequence());
  ASSERT_EQ(retry.events_size(), first.events_size());
  EXPECT_EQ(retry.events(0).SerializeAsString(), first.events(0).SerializeAsString());
}

TEST_F(MarketdScenarioTest, RestartKeepsStateIdsAndIdempotency) {
  SeedReferenceData();
  const pb::CommandResult offer = SendOk("vendor:V1", kOffer);
  ASSERT_EQ(marketd()->Stop(), 0) << marketd()->output();
  StartMarketd();

  const pb::CommandResult retry = SendOk("vendor:V1", kOffer);
  EXPECT_TRUE(retry.duplicate());
  EXPECT_EQ(retry.original_sequence(), offer.sequence());
  EXPECT_EQ(retry.sequence(), offer.sequence() + 1);

  const pb::CommandResult request = SendOk("sponsor:S1", kRequest);
  ASSERT_GE(request.events_size(), 2);
  EXPECT_EQ(request.events(1).assignment_created().offer_id(),
            offer.events(0).offer_accepted().offer_id());
}

TEST_F(MarketdScenarioTest, SigtermDrainsAndExitsZero) {
  SeedReferenceData();
  EXPECT_EQ(marketd()->Stop(), 0);
}

TEST_F(MarketdScenarioTest, HealthIsServingOnceReadyWithoutCredentials) {
  EXPECT_EQ(HealthStatus(*channel()), 1);  // SERVING
}

}  // namespace
}  // namespace market::server::testing
