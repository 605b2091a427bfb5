// Server-side event streams: catch-up out of the journal, then live from the
// EventHub, with no gap and no duplicate at the hand-over (see EventHub), and
// the filters StreamEvents and WatchAssignments apply.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "broker/server/server_context.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/sync_stream.h"
#include "marketplace/v1/event.pb.h"

namespace market::server {

using EventFilter = std::function<bool(const marketplace::v1::Event&)>;

// Writes every event with sequence >= from_sequence that passes `filter`, in
// order, until the client cancels or the server shuts down (OK). A client that
// falls more than limits.stream_queue_events behind is cut off with
// RESOURCE_EXHAUSTED naming the sequence to resume from.
grpc::Status StreamEvents(const ServiceContext& service, grpc::ServerContext* context,
                          uint64_t from_sequence, EventFilter filter,
                          grpc::ServerWriterInterface<marketplace::v1::Event>* writer);

// The StreamEvents filter: event_types are oneof field names of Event.body
// ("assignment_created"); participant_ids keep events that name one of them.
// INVALID_ARGUMENT naming the field for an unknown type or too many values.
absl::StatusOr<EventFilter> MakeEventFilter(const std::vector<std::string>& event_types,
                                            const std::vector<std::string>& participant_ids,
                                            size_t max_values);

// True when `event` names participant `id` (owner, counterparty, contract
// party, the participant itself, or the acting principal).
bool EventNamesParticipant(const marketplace::v1::Event& event, const std::string& id);

// A participant's own fills: AssignmentCreated where it is the sponsor (or vendor).
EventFilter OwnAssignments(bool sponsor, const std::string& participant_id);

}  // namespace market::server
