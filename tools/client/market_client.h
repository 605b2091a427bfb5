// The client side of marketd's API for our own tools and tests: a channel
// (plain, TLS or mTLS), the bearer-key metadata, and one call that sends any
// Command through the unary RPC of its kind.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/grpcpp.h"
#include "marketplace/v1/service.grpc.pb.h"

namespace market::client {

struct ClientOptions {
  std::string server = "127.0.0.1:50051";
  std::string key = {};              // API key; empty: none (mTLS or unauthenticated)
  std::string tls_ca = {};           // PEM file of the server's CA; enables TLS
  std::string tls_cert = {};         // client certificate (PEM) for mTLS
  std::string tls_key = {};          // client private key (PEM) for mTLS
  std::string tls_server_name = {};  // override of the name checked in the server certificate
};

absl::StatusOr<std::shared_ptr<grpc::Channel>> Connect(const ClientOptions& options);

// Adds `authorization: Bearer <key>` (when key is not empty) and a deadline.
void Prepare(grpc::ClientContext* context, const std::string& key,
             std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Sends `command` through SponsorService / VendorService / AdminService by its
// body; the command's principal is ignored (the server uses the key's).
grpc::Status SendCommand(grpc::Channel& channel, const std::string& key,
                         const marketplace::v1::Command& command,
                         marketplace::v1::CommandResult* result);

}  // namespace market::client
