// MemoryJournal: the Journal contract over a std::vector, for tests. Entries
// are dense from sequence 1, so entry `s` lives at entries_[s - 1]. Not
// thread-safe: one thread appends and reads.
#include <algorithm>
#include <utility>

#include "storage/internal/group_check.h"
#include "storage/journal.h"

namespace market::storage {

absl::Status MemoryJournal::Append(std::span<const JournalEntry> group) {
  // Each injected fault belongs to exactly this Append, whatever it carries.
  absl::Status write_fault = std::exchange(fail_next_write_, absl::OkStatus());
  absl::Status sync_fault = std::exchange(fail_next_sync_, absl::OkStatus());
  if (!write_fault.ok()) return write_fault;
  if (absl::Status valid = internal::CheckGroup(last_sequence(), group); !valid.ok()) {
    return valid;
  }
  // A failed sync keeps nothing: as after a crash, the group never happened.
  if (!sync_fault.ok()) return sync_fault;
  entries_.insert(entries_.end(), group.begin(), group.end());
  return absl::OkStatus();
}

uint64_t MemoryJournal::last_sequence() const { return entries_.size(); }

absl::Status MemoryJournal::Read(
    uint64_t from, uint64_t to,
    const std::function<absl::Status(const JournalEntry&)>& visit) const {
  from = std::max<uint64_t>(from, 1);
  to = std::min(to, last_sequence());
  for (uint64_t sequence = from; sequence <= to; ++sequence) {
    if (absl::Status visited = visit(entries_[sequence - 1]); !visited.ok()) return visited;
  }
  return absl::OkStatus();
}

absl::Status MemoryJournal::Checkpoint(const std::string& to) const {
  return absl::UnimplementedError("a memory journal has no files to copy to " + to);
}

}  // namespace market::storage
