// MemoryJournal: the Journal contract over a std::vector, for tests. Entries
// are dense from sequence 1, so entry `s` lives at entries_[s - 1]; state
// records live in a std::map (bodies only: nothing here can corrupt them, so
// no crc). One mutex guards everything; Read and ReadState copy what they
// visit out first, so a visitor may call back into the journal.
#include <algorithm>
#include <utility>

#include "storage/internal/group_check.h"
#include "storage/journal.h"

namespace market::storage {

absl::Status MemoryJournal::Append(std::span<const JournalEntry> group) {
  return Append(group, {});
}

absl::Status MemoryJournal::Append(std::span<const JournalEntry> group,
                                   std::span<const StateChange> state) {
  const std::lock_guard lock(mutex_);
  // Each injected fault belongs to exactly this Append, whatever it carries.
  absl::Status write_fault = std::exchange(fail_next_write_, absl::OkStatus());
  absl::Status sync_fault = std::exchange(fail_next_sync_, absl::OkStatus());
  if (!write_fault.ok()) return write_fault;
  if (absl::Status valid = internal::CheckGroup(entries_.size(), group); !valid.ok()) {
    return valid;
  }
  if (absl::Status valid = internal::CheckState(state); !valid.ok()) return valid;
  // A failed sync keeps nothing: as after a crash, the group never happened.
  if (!sync_fault.ok()) return sync_fault;
  entries_.insert(entries_.end(), group.begin(), group.end());
  for (const StateChange& change : state) {
    switch (change.op) {
      case StateChange::Op::kPut:
        state_.insert_or_assign(change.key, change.value);
        break;
      case StateChange::Op::kDelete:
        state_.erase(change.key);
        break;
      case StateChange::Op::kClear:
        state_.clear();
        break;
    }
  }
  return absl::OkStatus();
}

absl::Status MemoryJournal::ReadState(std::string_view prefix, const StateVisitor& visit) const {
  // Copied out under the lock, so that a visitor may call back.
  std::vector<std::pair<std::string, std::string>> records;
  {
    const std::lock_guard lock(mutex_);
    for (auto it = state_.lower_bound(prefix);
         it != state_.end() && std::string_view(it->first).substr(0, prefix.size()) == prefix;
         ++it) {
      records.emplace_back(it->first, it->second);
    }
  }
  for (const auto& [key, body] : records) {
    if (absl::Status visited = visit(key, body); !visited.ok()) return visited;
  }
  return absl::OkStatus();
}

uint64_t MemoryJournal::last_sequence() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

absl::Status MemoryJournal::Read(
    uint64_t from, uint64_t to,
    const std::function<absl::Status(const JournalEntry&)>& visit) const {
  from = std::max<uint64_t>(from, 1);
  to = std::min(to, last_sequence());
  for (uint64_t sequence = from; sequence <= to; ++sequence) {
    JournalEntry entry;
    {
      const std::lock_guard lock(mutex_);
      entry = entries_[sequence - 1];
    }
    if (absl::Status visited = visit(entry); !visited.ok()) return visited;
  }
  return absl::OkStatus();
}

absl::Status MemoryJournal::Checkpoint(const std::string& to) const {
  return absl::UnimplementedError("a memory journal has no files to copy to " + to);
}

absl::StatusOr<uint64_t> MemoryJournal::ReadCursor(std::string_view name) const {
  const std::lock_guard lock(mutex_);
  const auto found = cursors_.find(name);
  return found == cursors_.end() ? 0 : found->second;
}

absl::Status MemoryJournal::WriteCursor(std::string_view name, uint64_t sequence) {
  const std::lock_guard lock(mutex_);
  cursors_.insert_or_assign(std::string(name), sequence);
  return absl::OkStatus();
}

}  // namespace market::storage
