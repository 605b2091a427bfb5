#include "broker/server/status.h"

#include <string>

namespace market::server {

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

grpc::Status RejectionStatus(const marketplace::v1::CommandRejected& rejected) {
  std::string message =
      rejected.field().empty() ? rejected.message() : rejected.field() + ": " + rejected.message();
  const int code = rejected.code() == 0 ? static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT)
                                        : static_cast<int>(rejected.code());
  return grpc::Status(static_cast<grpc::StatusCode>(code), message);
}

}  // namespace market::server
