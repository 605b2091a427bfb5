// Status at the gRPC edge: absl::Status and CommandRejected events become
// grpc::Status with the same code and a message that names the field.
#pragma once

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "marketplace/v1/event.pb.h"

namespace market::server {

grpc::Status ToGrpc(const absl::Status& status);

// "<field>: <message>" with the rejection's code.
grpc::Status RejectionStatus(const marketplace::v1::CommandRejected& rejected);

}  // namespace market::server
