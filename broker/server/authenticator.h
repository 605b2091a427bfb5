// Authenticator: who is calling. A principal comes from the `authorization:
// Bearer <key>` metadata (checked against the keys file) or, on an mTLS
// connection without that metadata, from the client certificate's CN.
#pragma once

#include "absl/status/statusor.h"
#include "broker/auth/key_store.h"
#include "broker/auth/principal.h"
#include "grpcpp/server_context.h"

namespace market::server {

class Authenticator {
 public:
  // `keys` must outlive this object.
  explicit Authenticator(auth::KeyStore& keys) : keys_(keys) {}

  // UNAUTHENTICATED with a reason (never the key) when nobody can be named.
  absl::StatusOr<auth::Principal> Authenticate(const grpc::ServerContext& context) const;

 private:
  auth::KeyStore& keys_;
};

}  // namespace market::server
