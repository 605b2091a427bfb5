// ServiceContext: what every service of marketd shares (the sequencer, the
// live event hub, the journal for catch-up reads, the authenticator, limits),
// and the access rules every RPC applies first.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "broker/auth/principal.h"
#include "broker/server/authenticator.h"
#include "broker/server/event_hub.h"
#include "broker/server/sequencer.h"
#include "grpcpp/server_context.h"
#include "marketplace/v1/service.pb.h"
#include "storage/journal.h"

namespace market::server {

struct Limits {
  size_t max_message_bytes = 16 << 20;  // one request message, serialized
  int max_page_size = 1000;
  size_t max_filter_values = 256;      // event_types / participant_ids of a stream
  size_t stream_queue_events = 16384;  // a live stream's backlog before it is cut off
  size_t execute_window = 4096;        // commands in flight on one Execute stream
};

// Extra facts OpsService reports (Kafka bootstrap address, publish lag).
struct OpsFacts {
  std::function<void(marketplace::v1::MarketStats*)> fill;
};

// Filled in as marketd starts; `ready` turns true once the market is
// recovered and the sequencer runs. Until then every RPC answers UNAVAILABLE.
struct ServiceContext {
  std::atomic<bool> ready{false};
  Sequencer* sequencer = nullptr;
  EventHub* hub = nullptr;
  const storage::Journal* journal = nullptr;
  const Authenticator* authenticator = nullptr;
  Limits limits;
  OpsFacts ops;
};

// The caller's principal when its kind is one of `kinds` (any kind when
// empty): UNAVAILABLE while recovering, UNAUTHENTICATED without valid
// credentials, PERMISSION_DENIED for another kind.
absl::StatusOr<auth::Principal> Admit(const ServiceContext& service,
                                      const grpc::ServerContext& context,
                                      std::initializer_list<auth::Principal::Kind> kinds);

// INVALID_ARGUMENT naming `field` when `message` is larger than the limit.
absl::Status CheckSize(const ServiceContext& service, const google::protobuf::Message& message,
                       const std::string& field);

}  // namespace market::server
