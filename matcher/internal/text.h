// Small text helpers for the engine: message building and the bridge to
// Debian's abseil, whose absl::string_view is not std::string_view.
#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <type_traits>

#include "absl/strings/string_view.h"

namespace market::matcher::internal {

inline absl::string_view AsAbsl(std::string_view s) { return {s.data(), s.size()}; }

namespace detail {
inline void Append(std::string& out, std::string_view s) { out.append(s); }
inline void Append(std::string& out, const char* s) { out.append(s); }
inline void Append(std::string& out, const std::string& s) { out.append(s); }
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
void Append(std::string& out, T v) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  out.append(buf, end);
}
}  // namespace detail

// Concatenates strings and integers.
template <typename... Args>
std::string Cat(const Args&... args) {
  std::string out;
  (detail::Append(out, args), ...);
  return out;
}

}  // namespace market::matcher::internal
