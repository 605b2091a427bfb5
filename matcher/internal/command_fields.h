// Parsing of the command fields that name who acts and which order: shared
// by the engine's validation and its prefetch hints (order ids: order_id.h).
#pragma once

#include <cstdint>
#include <string_view>

#include "matcher/order_id.h"

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

using matcher::ParseOrderId;  // order_id.h

}  // namespace market::matcher::internal
