#include "tools/client/market_client.h"

#include <fstream>
#include <sstream>

namespace market::client {
namespace {

namespace pb = marketplace::v1;

absl::StatusOr<std::string> ReadPem(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError("cannot read " + path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const ClientOptions& options) {
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  arguments.SetMaxSendMessageSize(64 << 20);
  if (options.tls_ca.empty()) {
    return grpc::CreateCustomChannel(options.server, grpc::InsecureChannelCredentials(), arguments);
  }
  grpc::SslCredentialsOptions ssl;
  absl::StatusOr<std::string> ca = ReadPem(options.tls_ca);
  if (!ca.ok()) return ca.status();
  ssl.pem_root_certs = *ca;
  if (!options.tls_cert.empty()) {
    absl::StatusOr<std::string> cert = ReadPem(options.tls_cert);
    if (!cert.ok()) return cert.status();
    absl::StatusOr<std::string> key = ReadPem(options.tls_key);
    if (!key.ok()) return key.status();
    ssl.pem_cert_chain = *cert;
    ssl.pem_private_key = *key;
  }
  if (!options.tls_server_name.empty()) {
    arguments.SetSslTargetNameOverride(options.tls_server_name);
  }
  return grpc::CreateCustomChannel(options.server, grpc::SslCredentials(ssl), arguments);
}

void Prepare(grpc::ClientContext* context, const std::string& key,
             std::chrono::milliseconds timeout) {
  if (!key.empty()) context->AddMetadata("authorization", "Bearer " + key);
  context->set_deadline(std::chrono::system_clock::now() + timeout);
}

grpc::Status SendCommand(grpc::Channel& channel, const std::string& key, const pb::Command& command,
                         pb::CommandResult* result) {
  std::shared_ptr<grpc::Channel> shared(&channel, [](grpc::Channel*) {});
  grpc::ClientContext context;
  Prepare(&context, key);
  switch (command.body_case()) {
    case pb::Command::kSubmitRequest:
      return pb::SponsorService::NewStub(shared)->SubmitRequest(&context, command.submit_request(),
                                                                result);
    case pb::Command::kAmendRequest:
      return pb::SponsorService::NewStub(shared)->AmendRequest(&context, command.amend_request(),
                                                               result);
    case pb::Command::kCancelRequest:
      return pb::SponsorService::NewStub(shared)->CancelRequest(&context, command.cancel_request(),
                                                                result);
    case pb::Command::kPublishOffer:
      return pb::VendorService::NewStub(shared)->PublishOffer(&context, command.publish_offer(),
                                                              result);
    case pb::Command::kAmendOffer:
      return pb::VendorService::NewStub(shared)->AmendOffer(&context, command.amend_offer(),
                                                            result);
    case pb::Command::kWithdrawOffer:
      return pb::VendorService::NewStub(shared)->WithdrawOffer(&context, command.withdraw_offer(),
                                                               result);
    case pb::Command::kDefineRole:
      return pb::AdminService::NewStub(shared)->DefineRole(&context, command.define_role(), result);
    case pb::Command::kDefineLocation:
      return pb::AdminService::NewStub(shared)->DefineLocation(&context, command.define_location(),
                                                               result);
    case pb::Command::kUpsertParticipant:
      return pb::AdminService::NewStub(shared)->UpsertParticipant(
          &context, command.upsert_participant(), result);
    case pb::Command::kUpsertContract:
      return pb::AdminService::NewStub(shared)->UpsertContract(&context, command.upsert_contract(),
                                                               result);
    case pb::Command::kPatchRateCard:
      return pb::AdminService::NewStub(shared)->PatchRateCard(&context, command.patch_rate_card(),
                                                              result);
    case pb::Command::BODY_NOT_SET:
      break;
  }
  return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "command: no body");
}

}  // namespace market::client
