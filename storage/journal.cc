// The Journal defaults for journals without state records, and
// StateLastSequence.
#include "storage/journal.h"

#include "storage/internal/state_format.h"

namespace market::storage {

absl::Status Journal::Append(std::span<const JournalEntry> group,
                             std::span<const StateChange> state) {
  if (!state.empty()) {
    return absl::UnimplementedError("this journal keeps no state records");
  }
  return Append(group);
}

absl::Status Journal::ReadState(std::string_view /*prefix*/, const StateVisitor& /*visit*/) const {
  return absl::UnimplementedError("this journal keeps no state records");
}

absl::StatusOr<uint64_t> StateLastSequence(const Journal& journal) {
  uint64_t sequence = 0;
  const absl::Status read =
      journal.ReadState(internal::kStateLastSequenceKey,
                        [&](std::string_view key, std::string_view body) -> absl::Status {
                          if (key != internal::kStateLastSequenceKey) return absl::OkStatus();
                          absl::StatusOr<uint64_t> decoded = internal::DecodeLastSequence(body);
                          if (!decoded.ok()) return decoded.status();
                          sequence = *decoded;
                          return absl::OkStatus();
                        });
  if (!read.ok()) return read;
  return sequence;
}

}  // namespace market::storage
