// Principal: who an authenticated caller is. Every RPC but health runs on
// behalf of exactly one principal, named by an API key (see key_store.h) or by
// the CN of an mTLS client certificate.
//
// Grammar, exact and case-sensitive:
//
//   admin
//   ops
//   sponsor:<id>     <id>: 1..64 characters of [A-Za-z0-9._-]
//   vendor:<id>      (the participant id the caller acts for)
//
// Invariants: a Principal returned by ParsePrincipal has an empty `id` for
// kAdmin and kOps and a valid id for kSponsor and kVendor, and
// ParsePrincipal(p.ToString()) == p. Whether a principal may do a given thing
// is the server's decision, not this module's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace market::auth {

inline constexpr size_t kMaxPrincipalIdLength = 64;

struct Principal {
  enum class Kind : uint8_t { kAdmin, kOps, kSponsor, kVendor };
  Kind kind;
  std::string id;  // participant id for kSponsor and kVendor; empty otherwise

  // The text form: "admin", "ops", "sponsor:<id>" or "vendor:<id>".
  std::string ToString() const;

  bool operator==(const Principal&) const = default;
};

// Parses the text form above. INVALID_ARGUMENT, with a message that says what
// is accepted and quotes (escaped, at most 80 bytes of) the input, otherwise.
[[nodiscard]] absl::StatusOr<Principal> ParsePrincipal(std::string_view text);

}  // namespace market::auth
