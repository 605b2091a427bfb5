#include "broker/server/authenticator.h"

#include <string>

#include "grpcpp/security/auth_context.h"

namespace market::server {

absl::StatusOr<auth::Principal> Authenticator::Authenticate(
    const grpc::ServerContext& context) const {
  const auto& metadata = context.client_metadata();
  const auto found = metadata.find("authorization");
  if (found != metadata.end()) {
    return keys_.Authenticate(std::string(found->second.data(), found->second.size()));
  }
  const std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth != nullptr && auth->IsPeerAuthenticated()) {
    for (const grpc::string_ref& cn : auth->FindPropertyValues("x509_common_name")) {
      return keys_.AuthenticateCertificateCn(std::string(cn.data(), cn.size()));
    }
  }
  return keys_.Authenticate("");
}

}  // namespace market::server
