// Debian's abseil is built with its own absl::string_view (not an alias of
// std::string_view), and neither converts to the other. Our API speaks
// std::string_view; these two functions cross to abseil and back.
#pragma once

#include <string_view>

#include "absl/strings/string_view.h"

namespace market::auth::internal {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace market::auth::internal
