// The keys file: which API keys exist and whom each one names. Read by
// marketd (through KeyStore), appended to by `marketctl keys add`, created by
// marketd on its first start.
//
// One key per line; blank lines and comments (from a '#' at the start of a
// line or after whitespace, to the end of the line) are ignored:
//
//   # marketd API keys
//   admin               sha256:<64 hex digits>
//   ops                 sha256:<64 hex digits>    # on-call rotation
//   sponsor:acme-corp   sha256:<64 hex digits>
//   vendor:staffco      sha256:<64 hex digits>
//
// The hash is the SHA-256 of the whole key as presented in `Bearer <key>`
// (see api_key.h); the key itself is never stored. A principal may have
// several keys (rotation); deleting a line revokes its key.
//
// Invariants: a parsed file has no two entries with the same digest and every
// entry's principal satisfies ParsePrincipal. Files this module creates have
// mode 0600 and are fsynced, with their directory, before a key is returned;
// keys are returned to the caller exactly once and never written anywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "broker/auth/api_key.h"
#include "broker/auth/principal.h"

namespace market::auth {

inline constexpr size_t kMaxKeysFileBytes = 1 << 20;
inline constexpr size_t kMaxKeysFileLineBytes = 1024;
inline constexpr size_t kMaxKeysPerFile = 4096;

// One key line.
struct KeyEntry {
  Principal principal;
  KeyDigest digest;
  uint32_t line = 0;  // 1-based line number in the file, for messages
};

// Parses keys file text. `file_name` is only used in messages. A bad line is
// INVALID_ARGUMENT "keys file <file_name> line <n>: <problem>"; the message
// never repeats the line's hash field (it might be a pasted raw key).
[[nodiscard]] absl::StatusOr<std::vector<KeyEntry>> ParseKeysFile(std::string_view text,
                                                                  std::string_view file_name);

// Reads and parses the keys file at `path`: NOT_FOUND when missing,
// FAILED_PRECONDITION when not a regular file or over kMaxKeysFileBytes,
// INVALID_ARGUMENT for a bad line.
[[nodiscard]] absl::StatusOr<std::vector<KeyEntry>> ReadKeysFile(const std::string& path);

// The line for `key`: "<principal> sha256:<hex SHA-256 of key>\n".
std::string FormatKeyLine(const Principal& principal, std::string_view key);

// Generates a key for `principal`, appends its line to the keys file at
// `path` and fsyncs; returns the key (to be shown once). A missing file is
// created with mode 0600 and a comment header. Refuses, writing nothing:
// a principal that does not satisfy ParsePrincipal (INVALID_ARGUMENT), an
// existing file that group or others may read or write, or that is not a
// regular file (FAILED_PRECONDITION), an existing file that does not parse
// (its INVALID_ARGUMENT). Concurrent appenders are serialized with flock(2).
[[nodiscard]] absl::StatusOr<std::string> AppendKey(const std::string& path,
                                                    const Principal& principal);

// marketd's first start: when nothing exists at `path`, creates the keys file
// (mode 0600, comment header, one `admin` and one `ops` key) and returns the
// two (principal, key) pairs, admin first, to be printed once. When `path`
// already exists, returns an empty vector and touches nothing. Creation is
// atomic: the content is written and fsynced in a temporary file beside
// `path`, then link(2)ed to `path` (which fails if `path` appeared meanwhile),
// so `path` never exists half-written.
[[nodiscard]] absl::StatusOr<std::vector<std::pair<Principal, std::string>>> CreateDefaultKeysFile(
    const std::string& path);

}  // namespace market::auth
