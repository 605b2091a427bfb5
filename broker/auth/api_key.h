// API keys: how they are made, hashed and compared.
//
// A key is "mk_" followed by 64 lowercase hex digits (32 bytes from the
// OpenSSL CSPRNG), 67 characters in all; the prefix makes a leaked key easy to
// spot in logs and for secret scanners. Only the SHA-256 of the whole key
// (prefix included) is ever stored; the key itself is shown once, when it is
// made, and never appears in a message or a file.
//
// Invariants: GenerateKey never returns a key made from weak randomness (it
// aborts instead, see below); DigestsEqual takes the same time whatever the
// bytes compared.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace market::auth {

inline constexpr std::string_view kKeyPrefix = "mk_";
inline constexpr size_t kKeyRandomBytes = 32;
inline constexpr size_t kKeyDigestBytes = 32;  // SHA-256

using KeyDigest = std::array<uint8_t, kKeyDigestBytes>;

// SHA-256 of `data` through OpenSSL EVP. A failing EVP call means a broken
// OpenSSL installation: the process aborts with a message.
KeyDigest Sha256(std::string_view data);

// Sha256(data) as 64 lowercase hex digits ("abc" -> "ba7816bf...").
std::string Sha256Hex(std::string_view data);

// 64 lowercase hex digits.
std::string DigestToHex(const KeyDigest& digest);

// 64 hex digits (either case) to a digest; nullopt for anything else.
std::optional<KeyDigest> DigestFromHex(std::string_view hex);

// Constant-time equality (CRYPTO_memcmp): for comparing a presented key's
// digest with stored ones.
bool DigestsEqual(const KeyDigest& a, const KeyDigest& b);

// A new random key, kKeyPrefix + hex of kKeyRandomBytes from RAND_bytes. If
// the CSPRNG cannot deliver, the process aborts rather than hand out a weak key.
std::string GenerateKey();

}  // namespace market::auth
