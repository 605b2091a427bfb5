#include "storage/internal/group_check.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "storage/internal/record_format.h"

namespace market::storage::internal {

absl::Status CheckGroup(uint64_t last_sequence, std::span<const JournalEntry> group) {
  uint64_t expected = last_sequence;
  for (const JournalEntry& entry : group) {
    if (expected == std::numeric_limits<uint64_t>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("journal sequence space is exhausted at sequence ", expected));
    }
    ++expected;
    if (entry.sequence != expected) {
      return absl::InvalidArgumentError(
          absl::StrCat("journal entry has sequence ", entry.sequence, ", expected ", expected,
                       " (sequences are dense after last sequence ", last_sequence, ")"));
    }
    if (!IsKnownKind(entry.kind)) {
      return absl::InvalidArgumentError(absl::StrCat("journal entry at sequence ", entry.sequence,
                                                     " has unknown kind ",
                                                     static_cast<int>(entry.kind)));
    }
    if (entry.events.size() > std::numeric_limits<uint32_t>::max()) {
      return absl::InvalidArgumentError(absl::StrCat("journal entry at sequence ", entry.sequence,
                                                     " has more events than a u32 index holds"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckState(std::span<const StateChange> state) {
  for (size_t i = 0; i < state.size(); ++i) {
    const StateChange& change = state[i];
    switch (change.op) {
      case StateChange::Op::kClear:
        continue;
      case StateChange::Op::kPut:
      case StateChange::Op::kDelete:
        if (change.key.empty() || static_cast<uint8_t>(change.key[0]) == 0xFF) {
          return absl::InvalidArgumentError(
              absl::StrCat("state change ", i, " has an empty key or one starting with 0xFF"));
        }
        continue;
    }
    return absl::InvalidArgumentError(
        absl::StrCat("state change ", i, " has unknown op ", static_cast<int>(change.op)));
  }
  return absl::OkStatus();
}

}  // namespace market::storage::internal
