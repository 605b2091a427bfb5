#include "broker/auth/api_key.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace market::auth {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

[[noreturn]] void DieWithOpenSslError(const char* what) {
  char reason[256];
  ERR_error_string_n(ERR_get_error(), reason, sizeof(reason));
  std::fprintf(stderr, "market::auth: %s failed: %s\n", what, reason);
  std::abort();
}

std::string BytesToHex(const uint8_t* bytes, size_t n) {
  std::string hex(2 * n, '0');
  for (size_t i = 0; i < n; ++i) {
    hex[2 * i] = kHexDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kHexDigits[bytes[i] & 0x0f];
  }
  return hex;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

KeyDigest Sha256(std::string_view data) {
  KeyDigest digest;
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
      length != digest.size()) {
    DieWithOpenSslError("EVP_Digest(SHA-256)");
  }
  return digest;
}

std::string Sha256Hex(std::string_view data) { return DigestToHex(Sha256(data)); }

std::string DigestToHex(const KeyDigest& digest) {
  return BytesToHex(digest.data(), digest.size());
}

std::optional<KeyDigest> DigestFromHex(std::string_view hex) {
  if (hex.size() != 2 * kKeyDigestBytes) return std::nullopt;
  KeyDigest digest;
  for (size_t i = 0; i < digest.size(); ++i) {
    const int high = HexValue(hex[2 * i]);
    const int low = HexValue(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    digest[i] = static_cast<uint8_t>(high << 4 | low);
  }
  return digest;
}

bool DigestsEqual(const KeyDigest& a, const KeyDigest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string GenerateKey() {
  uint8_t random[kKeyRandomBytes];
  if (RAND_bytes(random, sizeof(random)) != 1) DieWithOpenSslError("RAND_bytes");
  std::string key(kKeyPrefix);
  key += BytesToHex(random, sizeof(random));
  OPENSSL_cleanse(random, sizeof(random));
  return key;
}

}  // namespace market::auth
