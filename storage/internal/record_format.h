// The byte layout of RocksJournal records (the diagram is in storage/journal.h):
// fixed-width big-endian keys, so RocksDB's bytewise order is sequence order,
// and values framed as [crc32c: u32 LE][body] where the crc covers the body.
//
// Decoding never trusts its input: any byte string, including one shorter than
// its frame, yields either a record or DATA_LOSS naming the sequence.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "storage/journal.h"

namespace market::storage::internal {

inline constexpr std::string_view kMetaFormatVersion = "format_version";
inline constexpr std::string_view kMetaLastSequence = "last_sequence";
// The meta key of a named reader cursor: "cursor/<name>".
inline std::string CursorKey(std::string_view name) { return std::string("cursor/").append(name); }

inline constexpr size_t kCrcSize = 4;         // every value starts with its crc32c
inline constexpr size_t kCommandKeySize = 8;  // [seq: u64 BE]
inline constexpr size_t kEventKeySize = 12;   // [seq: u64 BE][index: u32 BE]

// Fixed-width big-endian integers (keys and meta last_sequence).
[[nodiscard]] std::string EncodeU64(uint64_t value);
[[nodiscard]] std::optional<uint64_t> DecodeU64(std::string_view bytes);  // exactly 8 bytes

[[nodiscard]] std::string CommandKey(uint64_t sequence);
[[nodiscard]] std::string EventKey(uint64_t sequence, uint32_t index);

struct EventKeyParts {
  uint64_t sequence = 0;
  uint32_t index = 0;
};
// nullopt unless `key` is exactly kEventKeySize bytes.
[[nodiscard]] std::optional<EventKeyParts> DecodeEventKey(std::string_view key);

// [crc32c: u32 LE][kind: u8][payload]
[[nodiscard]] std::string CommandValue(JournalEntry::Kind kind, std::string_view payload);
// [crc32c: u32 LE][Event bytes]
[[nodiscard]] std::string EventValue(std::string_view event);

// A command record's body; `payload` views the value it was parsed from.
struct CommandRecord {
  JournalEntry::Kind kind = JournalEntry::Kind::kCommand;
  std::string_view payload;
};

// DATA_LOSS "journal record at sequence N ..." when the value is too short,
// fails its checksum or carries an unknown kind.
[[nodiscard]] absl::StatusOr<CommandRecord> ParseCommandValue(uint64_t sequence,
                                                              std::string_view value);
// The Event bytes, or DATA_LOSS naming the sequence and event index.
[[nodiscard]] absl::StatusOr<std::string_view> ParseEventValue(uint64_t sequence, uint32_t index,
                                                               std::string_view value);

// The 4-byte crc field (u32 LE) of each kind of value, for writers that hand
// RocksDB the value in parts ([crc][kind][payload]) instead of concatenating:
// the crc of a command covers its kind byte and payload, of an event its
// bytes, of a state record its key and then its body (so a body moved to
// another key fails its check).
using CrcBytes = std::array<char, kCrcSize>;
[[nodiscard]] CrcBytes CommandCrc(JournalEntry::Kind kind, std::string_view payload);
[[nodiscard]] CrcBytes EventCrc(std::string_view event);
[[nodiscard]] CrcBytes StateCrc(std::string_view key, std::string_view body);

// A state record's value: [crc32c: u32 LE over key + body][body].
[[nodiscard]] std::string StateValue(std::string_view key, std::string_view body);
// The body, or DATA_LOSS "state record <key> fails its checksum ..." (the key
// as storage/internal/state_format.h describes it).
[[nodiscard]] absl::StatusOr<std::string_view> ParseStateValue(std::string_view key,
                                                               std::string_view value);

// True for the kinds JournalEntry::Kind defines.
[[nodiscard]] bool IsKnownKind(JournalEntry::Kind kind);

}  // namespace market::storage::internal
