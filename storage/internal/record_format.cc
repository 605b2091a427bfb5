#include "storage/internal/record_format.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "storage/internal/crc32c.h"
#include "storage/internal/state_format.h"

namespace market::storage::internal {
namespace {

constexpr size_t kCommandHeaderSize = kCrcSize + 1;  // crc + kind

void AppendBigEndian(std::string& out, uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xFFu));
  }
}

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (const char c : bytes) value = (value << 8) | static_cast<uint8_t>(c);
  return value;
}

uint32_t ReadCrc(std::string_view value) {
  uint32_t crc = 0;
  for (int i = kCrcSize - 1; i >= 0; --i) crc = (crc << 8) | static_cast<uint8_t>(value[i]);
  return crc;
}

// Fills the 4 leading placeholder bytes of `value` with the crc of the rest.
void SealWithCrc(std::string& value) {
  const uint32_t crc = Crc32c(std::string_view(value).substr(kCrcSize));
  for (size_t i = 0; i < kCrcSize; ++i) value[i] = static_cast<char>((crc >> (8 * i)) & 0xFFu);
}

CrcBytes ToBytes(uint32_t crc) {
  CrcBytes bytes;
  for (size_t i = 0; i < kCrcSize; ++i) bytes[i] = static_cast<char>((crc >> (8 * i)) & 0xFFu);
  return bytes;
}

bool CrcMatches(std::string_view value) { return ReadCrc(value) == Crc32c(value.substr(kCrcSize)); }

absl::Status ChecksumFailure(uint64_t sequence, absl::string_view detail) {
  return absl::DataLossError(
      absl::StrCat("journal record at sequence ", sequence, " fails its checksum (", detail, ")"));
}

}  // namespace

std::string EncodeU64(uint64_t value) {
  std::string out;
  out.reserve(8);
  AppendBigEndian(out, value, 8);
  return out;
}

std::optional<uint64_t> DecodeU64(std::string_view bytes) {
  if (bytes.size() != 8) return std::nullopt;
  return ReadBigEndian(bytes);
}

std::string CommandKey(uint64_t sequence) { return EncodeU64(sequence); }

std::string EventKey(uint64_t sequence, uint32_t index) {
  std::string key = EncodeU64(sequence);
  AppendBigEndian(key, index, 4);
  return key;
}

std::optional<EventKeyParts> DecodeEventKey(std::string_view key) {
  if (key.size() != kEventKeySize) return std::nullopt;
  return EventKeyParts{ReadBigEndian(key.substr(0, 8)),
                       static_cast<uint32_t>(ReadBigEndian(key.substr(8)))};
}

std::string CommandValue(JournalEntry::Kind kind, std::string_view payload) {
  std::string value(kCrcSize, '\0');
  value.reserve(kCommandHeaderSize + payload.size());
  value.push_back(static_cast<char>(kind));
  value.append(payload);
  SealWithCrc(value);
  return value;
}

std::string EventValue(std::string_view event) {
  std::string value(kCrcSize, '\0');
  value.reserve(kCrcSize + event.size());
  value.append(event);
  SealWithCrc(value);
  return value;
}

CrcBytes CommandCrc(JournalEntry::Kind kind, std::string_view payload) {
  const char kind_byte = static_cast<char>(kind);
  return ToBytes(Crc32cExtend(Crc32c(std::string_view(&kind_byte, 1)), payload));
}

CrcBytes EventCrc(std::string_view event) { return ToBytes(Crc32c(event)); }

CrcBytes StateCrc(std::string_view key, std::string_view body) {
  return ToBytes(Crc32cExtend(Crc32c(key), body));
}

std::string StateValue(std::string_view key, std::string_view body) {
  const CrcBytes crc = StateCrc(key, body);
  std::string value(crc.data(), crc.size());
  value.append(body);
  return value;
}

absl::StatusOr<std::string_view> ParseStateValue(std::string_view key, std::string_view value) {
  if (value.size() < kCrcSize) {
    return absl::DataLossError(absl::StrCat("state record ", DescribeStateKey(key),
                                            " fails its checksum (value of ", value.size(),
                                            " bytes is shorter than its 4-byte crc)"));
  }
  const std::string_view body = value.substr(kCrcSize);
  if (ReadCrc(value) != Crc32cExtend(Crc32c(key), body)) {
    return absl::DataLossError(
        absl::StrCat("state record ", DescribeStateKey(key), " fails its checksum"));
  }
  return body;
}

bool IsKnownKind(JournalEntry::Kind kind) {
  return kind == JournalEntry::Kind::kCommand || kind == JournalEntry::Kind::kMalformed;
}

absl::StatusOr<CommandRecord> ParseCommandValue(uint64_t sequence, std::string_view value) {
  if (value.size() < kCommandHeaderSize) {
    return ChecksumFailure(sequence, absl::StrCat("command value of ", value.size(),
                                                  " bytes is shorter than its 5-byte header"));
  }
  if (!CrcMatches(value)) return ChecksumFailure(sequence, "command");
  const auto kind = static_cast<JournalEntry::Kind>(static_cast<uint8_t>(value[kCrcSize]));
  if (!IsKnownKind(kind)) {
    return absl::DataLossError(absl::StrCat("journal record at sequence ", sequence,
                                            " has unknown kind ", static_cast<int>(kind)));
  }
  return CommandRecord{kind, value.substr(kCommandHeaderSize)};
}

absl::StatusOr<std::string_view> ParseEventValue(uint64_t sequence, uint32_t index,
                                                 std::string_view value) {
  if (value.size() < kCrcSize) {
    return ChecksumFailure(sequence, absl::StrCat("event ", index, " value of ", value.size(),
                                                  " bytes is shorter than its 4-byte crc"));
  }
  if (!CrcMatches(value)) return ChecksumFailure(sequence, absl::StrCat("event ", index));
  return value.substr(kCrcSize);
}

}  // namespace market::storage::internal
