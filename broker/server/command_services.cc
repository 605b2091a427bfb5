// SponsorService, VendorService and AdminService.
#include <optional>
#include <string>
#include <vector>

#include "broker/server/command_call.h"
#include "broker/server/event_stream.h"
#include "broker/server/order_reads.h"
#include "broker/server/services.h"
#include "broker/server/state_view.h"
#include "broker/server/status.h"

namespace market::server {
namespace {

using Kind = auth::Principal::Kind;

// Sequences `body` as the caller's command. Any authenticated caller is
// admitted: the engine decides whether this principal may do this (and
// journals a PERMISSION_DENIED rejection when not).
template <typename Body>
grpc::Status RunCommand(const ServiceContext& service, grpc::ServerContext* context,
                        const Body& body, Body* (pb::Command::*field)(), pb::CommandResult* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service, *context, {});
  if (!principal.ok()) return ToGrpc(principal.status());
  if (absl::Status size = CheckSize(service, body, "command"); !size.ok()) return ToGrpc(size);
  pb::Command command;
  command.set_principal(principal->ToString());
  *(command.*field)() = body;
  return RunUnaryCommand(context, *service.sequencer, *service.journal, std::move(command), out);
}

grpc::Status Watch(const ServiceContext& service, grpc::ServerContext* context, Kind kind,
                   const pb::WatchAssignmentsRequest& request, grpc::ServerWriter<pb::Event>* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service, *context, {kind});
  if (!principal.ok()) return ToGrpc(principal.status());
  return StreamEvents(service, context, request.from_sequence(),
                      OwnAssignments(kind == Kind::kSponsor, principal->id), out);
}

}  // namespace

grpc::Status SponsorServiceImpl::SubmitRequest(grpc::ServerContext* context,
                                               const pb::SubmitRequest* request,
                                               pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_submit_request, out);
}

grpc::Status SponsorServiceImpl::AmendRequest(grpc::ServerContext* context,
                                              const pb::AmendRequest* request,
                                              pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_amend_request, out);
}

grpc::Status SponsorServiceImpl::CancelRequest(grpc::ServerContext* context,
                                               const pb::CancelRequest* request,
                                               pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_cancel_request, out);
}

grpc::Status SponsorServiceImpl::GetRequest(grpc::ServerContext* context,
                                            const pb::GetRequestRequest* request,
                                            pb::Request* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kSponsor});
  if (!principal.ok()) return ToGrpc(principal.status());
  absl::StatusOr<pb::Request> found = ReadRequest(service_, principal->id, request->request_id());
  if (!found.ok()) return ToGrpc(found.status());
  *out = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status SponsorServiceImpl::ListRequests(grpc::ServerContext* context,
                                              const pb::ListRequestsRequest* request,
                                              pb::ListRequestsResponse* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kSponsor});
  if (!principal.ok()) return ToGrpc(principal.status());
  absl::StatusOr<pb::ListRequestsResponse> page =
      server::ListRequests(service_, principal->id, *request);
  if (!page.ok()) return ToGrpc(page.status());
  *out = *std::move(page);
  return grpc::Status::OK;
}

grpc::Status SponsorServiceImpl::WatchAssignments(grpc::ServerContext* context,
                                                  const pb::WatchAssignmentsRequest* request,
                                                  grpc::ServerWriter<pb::Event>* out) {
  return Watch(service_, context, Kind::kSponsor, *request, out);
}

grpc::Status VendorServiceImpl::PublishOffer(grpc::ServerContext* context,
                                             const pb::PublishOffer* request,
                                             pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_publish_offer, out);
}

grpc::Status VendorServiceImpl::AmendOffer(grpc::ServerContext* context,
                                           const pb::AmendOffer* request, pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_amend_offer, out);
}

grpc::Status VendorServiceImpl::WithdrawOffer(grpc::ServerContext* context,
                                              const pb::WithdrawOffer* request,
                                              pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_withdraw_offer, out);
}

grpc::Status VendorServiceImpl::GetOffer(grpc::ServerContext* context,
                                         const pb::GetOfferRequest* request, pb::Offer* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kVendor});
  if (!principal.ok()) return ToGrpc(principal.status());
  absl::StatusOr<pb::Offer> found = ReadOffer(service_, principal->id, request->offer_id());
  if (!found.ok()) return ToGrpc(found.status());
  *out = *std::move(found);
  return grpc::Status::OK;
}

grpc::Status VendorServiceImpl::ListOffers(grpc::ServerContext* context,
                                           const pb::ListOffersRequest* request,
                                           pb::ListOffersResponse* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kVendor});
  if (!principal.ok()) return ToGrpc(principal.status());
  absl::StatusOr<pb::ListOffersResponse> page =
      server::ListOffers(service_, principal->id, *request);
  if (!page.ok()) return ToGrpc(page.status());
  *out = *std::move(page);
  return grpc::Status::OK;
}

grpc::Status VendorServiceImpl::WatchAssignments(grpc::ServerContext* context,
                                                 const pb::WatchAssignmentsRequest* request,
                                                 grpc::ServerWriter<pb::Event>* out) {
  return Watch(service_, context, Kind::kVendor, *request, out);
}

grpc::Status AdminServiceImpl::DefineRole(grpc::ServerContext* context,
                                          const pb::DefineRole* request, pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_define_role, out);
}

grpc::Status AdminServiceImpl::DefineLocation(grpc::ServerContext* context,
                                              const pb::DefineLocation* request,
                                              pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_define_location, out);
}

grpc::Status AdminServiceImpl::UpsertParticipant(grpc::ServerContext* context,
                                                 const pb::UpsertParticipant* request,
                                                 pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_upsert_participant, out);
}

grpc::Status AdminServiceImpl::UpsertContract(grpc::ServerContext* context,
                                              const pb::UpsertContract* request,
                                              pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_upsert_contract, out);
}

grpc::Status AdminServiceImpl::PatchRateCard(grpc::ServerContext* context,
                                             const pb::PatchRateCard* request,
                                             pb::CommandResult* out) {
  return RunCommand(service_, context, *request, &pb::Command::mutable_patch_rate_card, out);
}

grpc::Status AdminServiceImpl::GetReferenceData(grpc::ServerContext* context,
                                                const pb::ListReferenceDataRequest*,
                                                pb::ReferenceData* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kAdmin});
  if (!principal.ok()) return ToGrpc(principal.status());
  const absl::Status read = service_.sequencer->Read([&](const storage::JournaledMarket& market) {
    *out = ToReferenceData(market.engine().Snapshot());
  });
  return ToGrpc(read);
}

grpc::Status AdminServiceImpl::GetContract(grpc::ServerContext* context,
                                           const pb::GetContractRequest* request,
                                           pb::Contract* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kAdmin});
  if (!principal.ok()) return ToGrpc(principal.status());
  bool found = false;
  const absl::Status read = service_.sequencer->Read([&](const storage::JournaledMarket& market) {
    const std::optional<matcher::EngineSnapshot::Contract> contract =
        market.engine().FindContract(request->contract_id());
    if (!contract) return;
    *out = ToContract(*contract);
    found = true;
  });
  if (!read.ok()) return ToGrpc(read);
  if (!found) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "contract_id: no contract \"" + request->contract_id() + "\"");
  }
  return grpc::Status::OK;
}

grpc::Status AdminServiceImpl::CreateBackup(grpc::ServerContext* context,
                                            const pb::CreateBackupRequest* request,
                                            pb::Backup* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kAdmin});
  if (!principal.ok()) return ToGrpc(principal.status());
  if (request->directory().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "directory: must be set");
  }
  if (absl::Status taken = service_.journal->Checkpoint(request->directory()); !taken.ok()) {
    return ToGrpc(taken);
  }
  // The checkpoint is consistent at some sequence; open it to say which.
  absl::StatusOr<std::unique_ptr<storage::Journal>> backup = storage::OpenRocksJournal(
      request->directory(), {.sync = storage::SyncPolicy::kNever, .create_if_missing = false});
  if (!backup.ok()) return ToGrpc(backup.status());
  out->set_directory(request->directory());
  out->set_last_sequence((*backup)->last_sequence());
  return grpc::Status::OK;
}

}  // namespace market::server
