// The authorization matrix: every RPC x every kind of caller. A caller
// without a valid key is UNAUTHENTICATED; a caller of the wrong kind is
// PERMISSION_DENIED (for commands, by the engine's rules, journaled); the
// right kind is let through.
#include <gtest/gtest.h>

#include <unistd.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "broker/server/tests/marketd_fixture.h"
#include "codec/json_lines.h"
#include "tools/client/market_client.h"

namespace market::server::testing {
namespace {

namespace pb = marketplace::v1;
using Call = std::function<grpc::Status(grpc::Channel&, const std::string& key)>;

struct Rpc {
  std::string name;
  std::set<std::string> allowed;  // principals let through
  Call call;
};

// Sends a Command JSON line through its unary RPC.
Call Command(const std::string& json) {
  return [json](grpc::Channel& channel, const std::string& key) {
    absl::StatusOr<pb::Command> command = codec::ParseCommandJson(json);
    pb::CommandResult result;
    return client::SendCommand(channel, key, *command, &result);
  };
}

std::shared_ptr<grpc::Channel> Shared(grpc::Channel& channel) {
  return std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {});
}

// Opens a server stream and reads one message within a short deadline: an
// admitted caller ends with OK or DEADLINE_EXCEEDED.
template <typename Open>
Call Stream(Open open) {
  return [open](grpc::Channel& channel, const std::string& key) {
    grpc::ClientContext context;
    client::Prepare(&context, key, std::chrono::milliseconds(500));
    auto reader = open(Shared(channel), &context);
    pb::Event event;
    while (reader->Read(&event)) {
    }
    return reader->Finish();
  };
}

const std::set<std::string> kEveryone = {"admin", "ops", "sponsor:S1", "vendor:V1"};

std::vector<Rpc> AllRpcs() {
  const std::string offer_body =
      R"("role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "500", "rate": "4000", "availableFrom": "2026-01-01")";
  const std::string request_body =
      R"("role": "CTA", "locations": ["LATAM"], "fteMilli": "1000", "maxRate": "3000", "startDate": "2026-03-01", "endDate": "2026-12-31")";
  std::vector<Rpc> rpcs = {
      {"SubmitRequest",
       {"sponsor:S1"},
       Command(R"({"submitRequest": {"clientRef": "m1", )" + request_body + "}}")},
      {"AmendRequest",
       {"sponsor:S1"},
       Command(R"({"amendRequest": {"clientRef": "m2", "requestId": "R14", "fteMilli": "900"}})")},
      {"CancelRequest", {"sponsor:S1"}, Command(R"({"cancelRequest": {"requestId": "R15"}})")},
      {"PublishOffer",
       {"vendor:V1"},
       Command(R"({"publishOffer": {"clientRef": "m3", )" + offer_body + "}}")},
      {"AmendOffer",
       {"vendor:V1"},
       Command(R"({"amendOffer": {"clientRef": "m4", "offerId": "O16", "fteMilli": "400"}})")},
      {"WithdrawOffer", {"vendor:V1"}, Command(R"({"withdrawOffer": {"offerId": "O17"}})")},
      {"DefineRole", {"admin"}, Command(R"({"defineRole": {"code": "CRA", "name": "CRA"}})")},
      {"DefineLocation",
       {"admin"},
       Command(R"({"defineLocation": {"kind": "COUNTRY", "code": "AR", "parent": "LATAM"}})")},
      {"UpsertParticipant",
       {"admin"},
       Command(R"({"upsertParticipant": {"id": "V9", "kind": "VENDOR"}})")},
      {"UpsertContract",
       {"admin"},
       Command(
           R"({"upsertContract": {"contractId": "C9", "sponsorId": "S2", "vendorId": "V2", "active": true}})")},
      {"PatchRateCard",
       {"admin"},
       Command(
           R"({"patchRateCard": {"contractId": "C2", "upserts": [{"role": "CTA", "seniority": 1, "country": "BR", "maxRate": "3000"}]}})")},
      {"GetRequest",
       {"sponsor:S1"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::GetRequestRequest request;
         request.set_request_id("R14");
         pb::Request out;
         return pb::SponsorService::NewStub(Shared(channel))->GetRequest(&context, request, &out);
       }},
      {"ListRequests",
       {"sponsor:S1"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::ListRequestsResponse out;
         return pb::SponsorService::NewStub(Shared(channel))
             ->ListRequests(&context, pb::ListRequestsRequest(), &out);
       }},
      {"SponsorService.WatchAssignments",
       {"sponsor:S1"},
       Stream([](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* context) {
         return pb::SponsorService::NewStub(channel)->WatchAssignments(
             context, pb::WatchAssignmentsRequest());
       })},
      {"GetOffer",
       {"vendor:V1"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::GetOfferRequest request;
         request.set_offer_id("O16");
         pb::Offer out;
         return pb::VendorService::NewStub(Shared(channel))->GetOffer(&context, request, &out);
       }},
      {"ListOffers",
       {"vendor:V1"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::ListOffersResponse out;
         return pb::VendorService::NewStub(Shared(channel))
             ->ListOffers(&context, pb::ListOffersRequest(), &out);
       }},
      {"VendorService.WatchAssignments",
       {"vendor:V1"},
       Stream([](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* context) {
         return pb::VendorService::NewStub(channel)->WatchAssignments(
             context, pb::WatchAssignmentsRequest());
       })},
      {"GetReferenceData",
       {"admin"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::ReferenceData out;
         return pb::AdminService::NewStub(Shared(channel))
             ->GetReferenceData(&context, pb::ListReferenceDataRequest(), &out);
       }},
      {"GetContract",
       {"admin"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::GetContractRequest request;
         request.set_contract_id("C1");
         pb::Contract out;
         return pb::AdminService::NewStub(Shared(channel))->GetContract(&context, request, &out);
       }},
      {"CreateBackup",
       {"admin"},
       [](grpc::Channel& channel, const std::string& key) {
         static int count = 0;
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::CreateBackupRequest request;
         request.set_directory(::testing::TempDir() + "/authz-backup-" + std::to_string(getpid()) +
                               "-" + std::to_string(++count));
         pb::Backup out;
         return pb::AdminService::NewStub(Shared(channel))->CreateBackup(&context, request, &out);
       }},
      {"Execute", kEveryone,
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         auto stream = pb::MarketService::NewStub(Shared(channel))->Execute(&context);
         stream->WritesDone();
         pb::CommandResult result;
         while (stream->Read(&result)) {
         }
         return stream->Finish();
       }},
      {"StreamEvents",
       {"ops", "admin"},
       Stream([](std::shared_ptr<grpc::Channel> channel, grpc::ClientContext* context) {
         return pb::OpsService::NewStub(channel)->StreamEvents(context, pb::StreamEventsRequest());
       })},
      {"GetStats",
       {"ops", "admin"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::MarketStats out;
         return pb::OpsService::NewStub(Shared(channel))
             ->GetStats(&context, pb::GetStatsRequest(), &out);
       }},
      {"GetMarketDepth",
       {"ops", "admin"},
       [](grpc::Channel& channel, const std::string& key) {
         grpc::ClientContext context;
         client::Prepare(&context, key);
         pb::MarketDepth out;
         return pb::OpsService::NewStub(Shared(channel))
             ->GetMarketDepth(&context, pb::GetMarketDepthRequest(), &out);
       }},
  };
  return rpcs;
}

class MarketdAuthorizationTest : public MarketdTest {};

TEST_F(MarketdAuthorizationTest, EveryRpcAdmitsOnlyItsPrincipalsAndNeedsAValidKey) {
  SeedReferenceData();  // sequences 1..13
  // R14, R15 (sponsor S1) and O16, O17 (vendor V1) rest without crossing.
  auto request = [](const std::string& ref) {
    return R"({"submitRequest": {"clientRef": ")" + ref +
           R"(", "role": "CTA", "locations": ["LATAM"], "fteMilli": "1000", "maxRate": "3000", "startDate": "2026-03-01", "endDate": "2026-12-31"}})";
  };
  auto offer = [](const std::string& ref) {
    return R"({"publishOffer": {"clientRef": ")" + ref +
           R"(", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "500", "rate": "4000", "availableFrom": "2026-01-01"}})";
  };
  ASSERT_EQ(SendOk("sponsor:S1", request("r14")).sequence(), 14u);
  ASSERT_EQ(SendOk("sponsor:S1", request("r15")).sequence(), 15u);
  ASSERT_EQ(SendOk("vendor:V1", offer("o16")).sequence(), 16u);
  ASSERT_EQ(SendOk("vendor:V1", offer("o17")).sequence(), 17u);

  for (const Rpc& rpc : AllRpcs()) {
    EXPECT_EQ(rpc.call(*channel(), "").error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << rpc.name << " without a key";
    EXPECT_EQ(rpc.call(*channel(), "mk_not-a-real-key").error_code(),
              grpc::StatusCode::UNAUTHENTICATED)
        << rpc.name << " with an unknown key";
    // Denied callers first, so an allowed call that changes state runs last.
    for (const std::string principal :
         {"admin", "ops", "sponsor:S2", "vendor:V2", "sponsor:S1", "vendor:V1"}) {
      const bool allowed = rpc.allowed.count(principal) != 0 ||
                           (principal == "sponsor:S2" && rpc.allowed.count("sponsor:S1") &&
                            rpc.name.find("Watch") == std::string::npos &&
                            rpc.name.rfind("List", 0) != 0 && rpc.name != "SubmitRequest" && false);
      if (allowed) continue;
      const bool same_kind_other_party =
          (principal == "sponsor:S2" && rpc.allowed.count("sponsor:S1")) ||
          (principal == "vendor:V2" && rpc.allowed.count("vendor:V1"));
      const grpc::Status status = rpc.call(*channel(), key(principal));
      if (same_kind_other_party) {
        // Another participant of the right kind: admitted, but it never sees
        // or touches the first one's orders.
        if (rpc.name.rfind("Get", 0) == 0) {
          EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << rpc.name << principal;
        } else if (rpc.name.find("Amend") != std::string::npos ||
                   rpc.name.rfind("Cancel", 0) == 0 || rpc.name.rfind("Withdraw", 0) == 0) {
          EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
              << rpc.name << " by " << principal;
        }
        continue;
      }
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << rpc.name << " by " << principal << ": " << status.error_message();
    }
    for (const std::string& principal : rpc.allowed) {
      const grpc::Status status = rpc.call(*channel(), key(principal));
      EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << rpc.name << principal;
      EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << rpc.name << " by " << principal << ": " << status.error_message();
    }
  }
}

TEST_F(MarketdAuthorizationTest, AParticipantsStreamNeverShowsAnotherParticipantsFills) {
  SeedReferenceData();
  SendOk(
      "vendor:V1",
      R"({"publishOffer": {"clientRef": "x", "role": "CTA", "seniority": 2, "country": "MX", "fteMilli": "500", "rate": "4000", "availableFrom": "2026-01-01"}})");
  const pb::CommandResult fill = SendOk(
      "sponsor:S1",
      R"({"submitRequest": {"clientRef": "y", "role": "CTA", "locations": ["LATAM"], "fteMilli": "500", "maxRate": "4500", "startDate": "2026-03-01", "endDate": "2026-12-31"}})");
  ASSERT_GE(fill.events_size(), 2);
  for (const std::string other : {"sponsor:S2", "vendor:V2"}) {
    grpc::ClientContext context;
    client::Prepare(&context, key(other), std::chrono::milliseconds(700));
    std::unique_ptr<grpc::ClientReader<pb::Event>> reader =
        other.starts_with("sponsor") ? pb::SponsorService::NewStub(channel())->WatchAssignments(
                                           &context, pb::WatchAssignmentsRequest())
                                     : pb::VendorService::NewStub(channel())->WatchAssignments(
                                           &context, pb::WatchAssignmentsRequest());
    pb::Event event;
    EXPECT_FALSE(reader->Read(&event)) << other << " saw " << event.ShortDebugString();
    EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
}

}  // namespace
}  // namespace market::server::testing
