// The checks every Journal implementation makes on a group (and its state
// changes) before writing any of it, so RocksJournal and MemoryJournal reject exactly the same
// input.
#pragma once

#include <cstdint>
#include <span>

#include "absl/status/status.h"
#include "storage/journal.h"

namespace market::storage::internal {

// OK when the entries' sequences are dense and continue `last_sequence`
// (the first is last_sequence + 1), every kind is known and every entry's
// event count fits a u32 index. Otherwise INVALID_ARGUMENT naming the
// offending sequence. An empty group is valid.
[[nodiscard]] absl::Status CheckGroup(uint64_t last_sequence, std::span<const JournalEntry> group);

// OK when every change has a known op and every put or delete a key that is
// not empty and does not start with byte 0xFF (reserved, so that kClear can
// delete the range ["", "\xff")). Otherwise INVALID_ARGUMENT naming the
// change's index.
[[nodiscard]] absl::Status CheckState(std::span<const StateChange> state);

}  // namespace market::storage::internal
