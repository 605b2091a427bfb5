#include "broker/server/event_stream.h"

#include <algorithm>
#include <memory>
#include <set>

namespace market::server {
namespace {

namespace pb = marketplace::v1;

// A catch-up closer than this to the live tail switches to the live queue.
constexpr uint64_t kHandOverDistance = 1024;

// Sends journaled events of sequences [from, to] that pass `filter`.
absl::Status SendJournaled(const ServiceContext& service, grpc::ServerContext* context,
                           uint64_t from, uint64_t to, const EventFilter& filter,
                           grpc::ServerWriterInterface<pb::Event>* writer) {
  if (from > to) return absl::OkStatus();
  pb::Event event;
  return service.journal->Read(from, to, [&](const storage::JournalEntry& entry) {
    if (context->IsCancelled()) return absl::CancelledError("the client went away");
    for (const std::string& bytes : entry.events) {
      if (!event.ParseFromString(bytes)) {
        return absl::DataLossError("journaled event of sequence " + std::to_string(entry.sequence) +
                                   " does not parse");
      }
      if (filter && !filter(event)) continue;
      if (!writer->Write(event)) return absl::CancelledError("the client went away");
    }
    return absl::OkStatus();
  });
}

}  // namespace

grpc::Status StreamEvents(const ServiceContext& service, grpc::ServerContext* context,
                          uint64_t from_sequence, EventFilter filter,
                          grpc::ServerWriterInterface<pb::Event>* writer) {
  uint64_t next = std::max<uint64_t>(from_sequence, 1);
  // Catch up from the journal until close to the live tail.
  for (;;) {
    const uint64_t tail = service.hub->last_sequence();
    if (tail < next || tail - next < kHandOverDistance) break;
    if (absl::Status sent = SendJournaled(service, context, next, tail, filter, writer);
        !sent.ok()) {
      return grpc::Status(grpc::StatusCode::CANCELLED, std::string(sent.message()));
    }
    next = tail + 1;
  }
  EventHub::Subscribed live = service.hub->Subscribe(filter, service.limits.stream_queue_events);
  const std::unique_ptr<void, std::function<void(void*)>> unsubscribe(
      &live, [&](void*) { service.hub->Unsubscribe(live.subscription); });
  if (absl::Status sent = SendJournaled(service, context, next, live.tail, filter, writer);
      !sent.ok()) {
    const auto code = sent.code() == absl::StatusCode::kCancelled ? grpc::StatusCode::CANCELLED
                                                                  : grpc::StatusCode::DATA_LOSS;
    return grpc::Status(code, std::string(sent.message()));
  }
  next = std::max(next, live.tail + 1);
  std::shared_ptr<const pb::Event> event;
  for (;;) {
    switch (live.subscription->Next(std::chrono::milliseconds(100), &event)) {
      case Subscription::Wait::kEvent:
        if (event->sequence() < next) continue;
        if (!writer->Write(*event)) {
          return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
        }
        if (event->sequence() > next) next = event->sequence();
        break;
      case Subscription::Wait::kTimeout:
        if (context->IsCancelled()) {
          return grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
        }
        break;
      case Subscription::Wait::kOverflowed:
        return grpc::Status(
            grpc::StatusCode::RESOURCE_EXHAUSTED,
            "the stream fell more than " + std::to_string(service.limits.stream_queue_events) +
                " events behind; resume with from_sequence=" + std::to_string(next));
      case Subscription::Wait::kClosed:
        return grpc::Status::OK;
    }
  }
}

bool EventNamesParticipant(const pb::Event& event, const std::string& id) {
  const std::string& principal = event.principal();
  const size_t colon = principal.find(':');
  if (colon != std::string::npos && principal.compare(colon + 1, std::string::npos, id) == 0) {
    return true;
  }
  switch (event.body_case()) {
    case pb::Event::kRequestAccepted:
      return event.request_accepted().request().sponsor_id() == id;
    case pb::Event::kOfferAccepted:
      return event.offer_accepted().offer().vendor_id() == id;
    case pb::Event::kAssignmentCreated:
      return event.assignment_created().sponsor_id() == id ||
             event.assignment_created().vendor_id() == id;
    case pb::Event::kParticipantUpserted:
      return event.participant_upserted().id() == id;
    case pb::Event::kContractUpserted:
      return event.contract_upserted().sponsor_id() == id ||
             event.contract_upserted().vendor_id() == id;
    default:
      return false;
  }
}

absl::StatusOr<EventFilter> MakeEventFilter(const std::vector<std::string>& event_types,
                                            const std::vector<std::string>& participant_ids,
                                            size_t max_values) {
  if (event_types.size() > max_values) {
    return absl::InvalidArgumentError("event_types: at most " + std::to_string(max_values));
  }
  if (participant_ids.size() > max_values) {
    return absl::InvalidArgumentError("participant_ids: at most " + std::to_string(max_values));
  }
  std::set<int> cases;
  const google::protobuf::OneofDescriptor* body = pb::Event::descriptor()->FindOneofByName("body");
  for (size_t i = 0; i < event_types.size(); ++i) {
    const google::protobuf::FieldDescriptor* field = nullptr;
    for (int f = 0; f < body->field_count(); ++f) {
      if (body->field(f)->name() == event_types[i]) field = body->field(f);
    }
    if (field == nullptr) {
      return absl::InvalidArgumentError("event_types[" + std::to_string(i) + "]: unknown type \"" +
                                        event_types[i] +
                                        "\" (use a field name such as "
                                        "assignment_created)");
    }
    cases.insert(field->number());
  }
  if (cases.empty() && participant_ids.empty()) return EventFilter();
  return EventFilter([cases, participant_ids](const pb::Event& event) {
    if (!cases.empty() && cases.count(static_cast<int>(event.body_case())) == 0) return false;
    if (participant_ids.empty()) return true;
    return std::any_of(participant_ids.begin(), participant_ids.end(),
                       [&](const std::string& id) { return EventNamesParticipant(event, id); });
  });
}

EventFilter OwnAssignments(bool sponsor, const std::string& participant_id) {
  return [sponsor, participant_id](const pb::Event& event) {
    if (!event.has_assignment_created()) return false;
    const pb::AssignmentCreated& fill = event.assignment_created();
    return (sponsor ? fill.sponsor_id() : fill.vendor_id()) == participant_id;
  };
}

}  // namespace market::server
