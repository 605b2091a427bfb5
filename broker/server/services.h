// The gRPC services of marketd (API.md). Each RPC first admits its caller
// (Admit), then either sequences a command (unary command RPCs, Execute), reads
// state on the engine thread (getters), or streams events (StreamEvents,
// WatchAssignments). Commands carry the caller's principal, so the engine's
// own rules (MATCHING.md) decide who may act on what, and every rejection is
// journaled as a CommandRejected.
#pragma once

#include "broker/server/server_context.h"
#include "marketplace/v1/service.grpc.pb.h"

namespace market::server {

namespace pb = marketplace::v1;

class SponsorServiceImpl final : public pb::SponsorService::Service {
 public:
  explicit SponsorServiceImpl(const ServiceContext& service) : service_(service) {}
  grpc::Status SubmitRequest(grpc::ServerContext*, const pb::SubmitRequest*,
                             pb::CommandResult*) override;
  grpc::Status AmendRequest(grpc::ServerContext*, const pb::AmendRequest*,
                            pb::CommandResult*) override;
  grpc::Status CancelRequest(grpc::ServerContext*, const pb::CancelRequest*,
                             pb::CommandResult*) override;
  grpc::Status GetRequest(grpc::ServerContext*, const pb::GetRequestRequest*,
                          pb::Request*) override;
  grpc::Status ListRequests(grpc::ServerContext*, const pb::ListRequestsRequest*,
                            pb::ListRequestsResponse*) override;
  grpc::Status WatchAssignments(grpc::ServerContext*, const pb::WatchAssignmentsRequest*,
                                grpc::ServerWriter<pb::Event>*) override;

 private:
  const ServiceContext& service_;
};

class VendorServiceImpl final : public pb::VendorService::Service {
 public:
  explicit VendorServiceImpl(const ServiceContext& service) : service_(service) {}
  grpc::Status PublishOffer(grpc::ServerContext*, const pb::PublishOffer*,
                            pb::CommandResult*) override;
  grpc::Status AmendOffer(grpc::ServerContext*, const pb::AmendOffer*, pb::CommandResult*) override;
  grpc::Status WithdrawOffer(grpc::ServerContext*, const pb::WithdrawOffer*,
                             pb::CommandResult*) override;
  grpc::Status GetOffer(grpc::ServerContext*, const pb::GetOfferRequest*, pb::Offer*) override;
  grpc::Status ListOffers(grpc::ServerContext*, const pb::ListOffersRequest*,
                          pb::ListOffersResponse*) override;
  grpc::Status WatchAssignments(grpc::ServerContext*, const pb::WatchAssignmentsRequest*,
                                grpc::ServerWriter<pb::Event>*) override;

 private:
  const ServiceContext& service_;
};

class AdminServiceImpl final : public pb::AdminService::Service {
 public:
  explicit AdminServiceImpl(const ServiceContext& service) : service_(service) {}
  grpc::Status DefineRole(grpc::ServerContext*, const pb::DefineRole*, pb::CommandResult*) override;
  grpc::Status DefineLocation(grpc::ServerContext*, const pb::DefineLocation*,
                              pb::CommandResult*) override;
  grpc::Status UpsertParticipant(grpc::ServerContext*, const pb::UpsertParticipant*,
                                 pb::CommandResult*) override;
  grpc::Status UpsertContract(grpc::ServerContext*, const pb::UpsertContract*,
                              pb::CommandResult*) override;
  grpc::Status PatchRateCard(grpc::ServerContext*, const pb::PatchRateCard*,
                             pb::CommandResult*) override;
  grpc::Status GetReferenceData(grpc::ServerContext*, const pb::ListReferenceDataRequest*,
                                pb::ReferenceData*) override;
  grpc::Status GetContract(grpc::ServerContext*, const pb::GetContractRequest*,
                           pb::Contract*) override;
  grpc::Status CreateBackup(grpc::ServerContext*, const pb::CreateBackupRequest*,
                            pb::Backup*) override;

 private:
  const ServiceContext& service_;
};

class MarketServiceImpl final : public pb::MarketService::Service {
 public:
  explicit MarketServiceImpl(const ServiceContext& service) : service_(service) {}
  grpc::Status Execute(grpc::ServerContext*,
                       grpc::ServerReaderWriter<pb::CommandResult, pb::ExecuteRequest>*) override;

 private:
  const ServiceContext& service_;
};

class OpsServiceImpl final : public pb::OpsService::Service {
 public:
  explicit OpsServiceImpl(const ServiceContext& service) : service_(service) {}
  grpc::Status StreamEvents(grpc::ServerContext*, const pb::StreamEventsRequest*,
                            grpc::ServerWriter<pb::Event>*) override;
  grpc::Status GetMarketDepth(grpc::ServerContext*, const pb::GetMarketDepthRequest*,
                              pb::MarketDepth*) override;
  grpc::Status GetStats(grpc::ServerContext*, const pb::GetStatsRequest*,
                        pb::MarketStats*) override;

 private:
  const ServiceContext& service_;
};

}  // namespace market::server
