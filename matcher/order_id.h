// Order ids: "R<sequence>" for a request, "O<sequence>" for an offer, the
// sequence in canonical decimal (no sign, no leading zero), as the engine
// forms them. Shared by the engine's validation and the codec's projections
// so that both read an id the same way.
#pragma once

#include <cstdint>
#include <string_view>

namespace market::matcher {

// The sequence of an id with this prefix ('R' or 'O'), or 0 for anything that
// is not such an id in canonical form.
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

}  // namespace market::matcher
