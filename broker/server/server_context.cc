#include "broker/server/server_context.h"

#include <algorithm>

namespace market::server {

absl::StatusOr<auth::Principal> Admit(const ServiceContext& service,
                                      const grpc::ServerContext& context,
                                      std::initializer_list<auth::Principal::Kind> kinds) {
  if (!service.ready.load(std::memory_order_acquire)) {
    return absl::UnavailableError("marketd is recovering its state; retry shortly");
  }
  absl::StatusOr<auth::Principal> principal = service.authenticator->Authenticate(context);
  if (!principal.ok()) return principal.status();
  if (kinds.size() != 0 && std::find(kinds.begin(), kinds.end(), principal->kind) == kinds.end()) {
    return absl::PermissionDeniedError("principal " + principal->ToString() +
                                       " may not call this method");
  }
  return principal;
}

absl::Status CheckSize(const ServiceContext& service, const google::protobuf::Message& message,
                       const std::string& field) {
  const size_t bytes = message.ByteSizeLong();
  if (bytes <= service.limits.max_message_bytes) return absl::OkStatus();
  return absl::InvalidArgumentError(field + ": message is " + std::to_string(bytes) +
                                    " bytes, the limit is " +
                                    std::to_string(service.limits.max_message_bytes));
}

}  // namespace market::server
