// Parsing of the command fields that name who acts and which order: shared
// by the engine's validation and its prefetch hints.
#pragma once

#include <cstdint>
#include <string_view>

namespace market::matcher::internal {

// Who acts. Anything but these four forms is an unknown principal.
struct Principal {
  enum class Kind : uint8_t { kAdmin, kOps, kSponsor, kVendor, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string_view id;
};

inline Principal ParsePrincipal(std::string_view p) {
  constexpr std::string_view kSponsor = "sponsor:";
  constexpr std::string_view kVendor = "vendor:";
  if (p == "admin") return {Principal::Kind::kAdmin, {}};
  if (p == "ops") return {Principal::Kind::kOps, {}};
  if (p.substr(0, kSponsor.size()) == kSponsor) {
    return {Principal::Kind::kSponsor, p.substr(kSponsor.size())};
  }
  if (p.substr(0, kVendor.size()) == kVendor) {
    return {Principal::Kind::kVendor, p.substr(kVendor.size())};
  }
  return {};
}

// "R<sequence>" / "O<sequence>" in canonical decimal, or 0.
inline uint64_t ParseOrderId(std::string_view id, char prefix) {
  if (id.size() < 2 || id.size() > 21 || id[0] != prefix || id[1] == '0') return 0;
  uint64_t v = 0;
  for (char c : id.substr(1)) {
    if (c < '0' || c > '9') return 0;
    const auto digit = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - digit) / 10) return 0;
    v = v * 10 + digit;
  }
  return v;
}

}  // namespace market::matcher::internal
