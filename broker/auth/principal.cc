#include "broker/auth/principal.h"

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "broker/auth/internal/string_view.h"

namespace market::auth {
namespace {

constexpr char kGrammar[] = "'admin', 'ops', 'sponsor:<id>' or 'vendor:<id>'";
constexpr size_t kMaxQuotedBytes = 80;

// The input as it may appear in a message: escaped and bounded.
std::string Quote(std::string_view text) {
  if (text.size() <= kMaxQuotedBytes)
    return absl::StrCat("\"", absl::CHexEscape(internal::ToAbsl(text)), "\"");
  return absl::StrCat("\"", absl::CHexEscape(internal::ToAbsl(text.substr(0, kMaxQuotedBytes))),
                      "\"...");
}

bool IsIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

absl::StatusOr<Principal> ParticipantPrincipal(Principal::Kind kind, std::string_view text,
                                               std::string_view id) {
  if (id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("principal ", Quote(text), " has an empty participant id"));
  }
  if (id.size() > kMaxPrincipalIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("principal ", Quote(text), ": participant id is ", id.size(),
                     " characters, at most ", kMaxPrincipalIdLength, " allowed"));
  }
  for (char c : id) {
    if (!IsIdChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "principal ", Quote(text), ": participant id may only contain [A-Za-z0-9._-]"));
    }
  }
  return Principal{kind, std::string(id)};
}

}  // namespace

std::string Principal::ToString() const {
  switch (kind) {
    case Kind::kAdmin:
      return "admin";
    case Kind::kOps:
      return "ops";
    case Kind::kSponsor:
      return absl::StrCat("sponsor:", id);
    case Kind::kVendor:
      return absl::StrCat("vendor:", id);
  }
  return absl::StrCat("invalid-principal-kind-", static_cast<int>(kind));
}

absl::StatusOr<Principal> ParsePrincipal(std::string_view text) {
  if (text == "admin") return Principal{Principal::Kind::kAdmin, ""};
  if (text == "ops") return Principal{Principal::Kind::kOps, ""};
  constexpr std::string_view kSponsor = "sponsor:";
  constexpr std::string_view kVendor = "vendor:";
  if (text.starts_with(kSponsor)) {
    return ParticipantPrincipal(Principal::Kind::kSponsor, text, text.substr(kSponsor.size()));
  }
  if (text.starts_with(kVendor)) {
    return ParticipantPrincipal(Principal::Kind::kVendor, text, text.substr(kVendor.size()));
  }
  if (text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("principal is empty; expected ", kGrammar));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("principal ", Quote(text), " is not one of ", kGrammar));
}

}  // namespace market::auth
