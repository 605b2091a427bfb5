#include "broker/server/command_call.h"

#include <future>
#include <string>

#include "broker/server/status.h"

namespace market::server {

namespace pb = marketplace::v1;

Sequencer::Deadline DeadlineOf(const grpc::ServerContext& context) {
  const auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) {
    return Sequencer::Deadline::max();
  }
  const auto left = deadline - std::chrono::system_clock::now();
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(left);
}

absl::Status FillResult(const storage::Journal& journal, SequencedCommand sequenced,
                        pb::CommandResult* out) {
  out->set_sequence(sequenced.sequence);
  out->set_duplicate(sequenced.duplicate);
  out->set_original_sequence(sequenced.original_sequence);
  if (!sequenced.duplicate) {
    for (pb::Event& event : sequenced.events) *out->add_events() = std::move(event);
    return absl::OkStatus();
  }
  const uint64_t original = sequenced.original_sequence;
  return journal.Read(original, original, [&](const storage::JournalEntry& entry) {
    for (const std::string& bytes : entry.events) {
      if (!out->add_events()->ParseFromString(bytes)) {
        return absl::DataLossError("journaled event of sequence " + std::to_string(original) +
                                   " does not parse");
      }
    }
    return absl::OkStatus();
  });
}

grpc::Status RunUnaryCommand(grpc::ServerContext* context, Sequencer& sequencer,
                             const storage::Journal& journal, pb::Command command,
                             pb::CommandResult* out) {
  std::promise<absl::StatusOr<SequencedCommand>> promise;
  std::future<absl::StatusOr<SequencedCommand>> future = promise.get_future();
  const absl::Status queued = sequencer.Submit(std::move(command), DeadlineOf(*context),
                                               [&promise](absl::StatusOr<SequencedCommand> result) {
                                                 promise.set_value(std::move(result));
                                               });
  if (!queued.ok()) return ToGrpc(queued);
  absl::StatusOr<SequencedCommand> result = future.get();
  if (!result.ok()) return ToGrpc(result.status());
  context->AddTrailingMetadata("market-sequence", std::to_string(result->sequence));
  if (const absl::Status filled = FillResult(journal, *std::move(result), out); !filled.ok()) {
    return ToGrpc(filled);
  }
  if (out->events_size() == 1 && out->events(0).has_command_rejected() && !out->duplicate()) {
    return RejectionStatus(out->events(0).command_rejected());
  }
  return grpc::Status::OK;
}

}  // namespace market::server
