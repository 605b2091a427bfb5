// Principal grammar: exactly admin, ops, sponsor:<id>, vendor:<id>, with ids of
// 1..64 characters of [A-Za-z0-9._-]; ToString inverts ParsePrincipal.
#include "broker/auth/principal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace market::auth {
namespace {

using ::testing::HasSubstr;

TEST(ParsePrincipal, AcceptsAdminAndOps) {
  EXPECT_EQ(ParsePrincipal("admin").value(), (Principal{Principal::Kind::kAdmin, ""}));
  EXPECT_EQ(ParsePrincipal("ops").value(), (Principal{Principal::Kind::kOps, ""}));
}

TEST(ParsePrincipal, AcceptsSponsorAndVendorWithTheirId) {
  EXPECT_EQ(ParsePrincipal("sponsor:acme-corp").value(),
            (Principal{Principal::Kind::kSponsor, "acme-corp"}));
  EXPECT_EQ(ParsePrincipal("vendor:Staff.Co_2").value(),
            (Principal{Principal::Kind::kVendor, "Staff.Co_2"}));
}

TEST(ParsePrincipal, AcceptsAnIdOfExactly64Characters) {
  const std::string id(kMaxPrincipalIdLength, 'a');
  EXPECT_EQ(ParsePrincipal("vendor:" + id).value().id, id);
}

TEST(ParsePrincipal, RejectsAnIdOf65Characters) {
  const absl::StatusOr<Principal> parsed =
      ParsePrincipal("vendor:" + std::string(kMaxPrincipalIdLength + 1, 'a'));
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("at most 64"));
}

TEST(ParsePrincipal, RejectsAnEmptyId) {
  for (const char* text : {"sponsor:", "vendor:"}) {
    const absl::StatusOr<Principal> parsed = ParsePrincipal(text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(parsed.status().message(), HasSubstr("empty participant id")) << text;
  }
}

TEST(ParsePrincipal, RejectsIdCharactersOutsideTheAllowedSet) {
  for (const char* text : {"vendor:a b", "vendor:a/b", "sponsor:a:b", "sponsor:é", "vendor:a#b"}) {
    const absl::StatusOr<Principal> parsed = ParsePrincipal(text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(parsed.status().message(), HasSubstr("[A-Za-z0-9._-]")) << text;
  }
}

TEST(ParsePrincipal, RejectsOtherNamesCaseVariantsAndPadding) {
  for (const char* text : {"root", "Admin", "OPS", " admin", "admin ", "admin:x", "ops:1",
                           "customer:x", "Sponsor:x", "sponsor"}) {
    const absl::StatusOr<Principal> parsed = ParsePrincipal(text);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(parsed.status().message(), HasSubstr("'admin', 'ops', 'sponsor:<id>' or "
                                                     "'vendor:<id>'"))
        << text;
  }
}

TEST(ParsePrincipal, RejectsTheEmptyString) {
  EXPECT_EQ(ParsePrincipal("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ParsePrincipal("").status().message(), HasSubstr("empty"));
}

TEST(ParsePrincipal, QuotesAtMost80BytesOfTheInput) {
  const std::string text(500, 'x');
  const absl::StatusOr<Principal> parsed = ParsePrincipal(text);
  EXPECT_THAT(parsed.status().message(), HasSubstr(std::string(80, 'x') + "\"..."));
  EXPECT_THAT(parsed.status().message(), ::testing::Not(HasSubstr(std::string(81, 'x'))));
}

TEST(Principal, ToStringRoundTripsThroughParsePrincipal) {
  for (const char* text : {"admin", "ops", "sponsor:acme", "vendor:v-1.2_3"}) {
    const Principal principal = ParsePrincipal(text).value();
    EXPECT_EQ(principal.ToString(), text);
    EXPECT_EQ(ParsePrincipal(principal.ToString()).value(), principal);
  }
}

}  // namespace
}  // namespace market::auth
