// OpsService: the audit stream for ops and admin, and market figures.
#include <vector>

#include "broker/server/event_stream.h"
#include "broker/server/services.h"
#include "broker/server/status.h"

namespace market::server {

using Kind = auth::Principal::Kind;

grpc::Status OpsServiceImpl::StreamEvents(grpc::ServerContext* context,
                                          const pb::StreamEventsRequest* request,
                                          grpc::ServerWriter<pb::Event>* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kOps, Kind::kAdmin});
  if (!principal.ok()) return ToGrpc(principal.status());
  absl::StatusOr<EventFilter> filter = MakeEventFilter(
      std::vector<std::string>(request->event_types().begin(), request->event_types().end()),
      std::vector<std::string>(request->participant_ids().begin(),
                               request->participant_ids().end()),
      service_.limits.max_filter_values);
  if (!filter.ok()) return ToGrpc(filter.status());
  return server::StreamEvents(service_, context, request->from_sequence(), *std::move(filter), out);
}

grpc::Status OpsServiceImpl::GetMarketDepth(grpc::ServerContext* context,
                                            const pb::GetMarketDepthRequest*, pb::MarketDepth*) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kOps, Kind::kAdmin});
  if (!principal.ok()) return ToGrpc(principal.status());
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      "GetMarketDepth comes with the market-depth issue");
}

grpc::Status OpsServiceImpl::GetStats(grpc::ServerContext* context, const pb::GetStatsRequest*,
                                      pb::MarketStats* out) {
  absl::StatusOr<auth::Principal> principal = Admit(service_, *context, {Kind::kOps, Kind::kAdmin});
  if (!principal.ok()) return ToGrpc(principal.status());
  out->set_last_sequence(service_.sequencer->last_sequence());
  if (service_.ops.fill) service_.ops.fill(out);
  return grpc::Status::OK;
}

}  // namespace market::server
