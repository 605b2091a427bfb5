// Keys file parsing: the line form, comments and blank lines, and errors that
// name the file and line without repeating a hash or a key.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "absl/strings/str_cat.h"
#include "broker/auth/key_file.h"
#include "broker/auth/tests/temp_dir.h"

namespace market::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kHashA = Sha256Hex("key-a");
const std::string kHashB = Sha256Hex("key-b");

TEST(ParseKeysFile, ReadsPrincipalAndDigestOfEachLine) {
  const std::string text = absl::StrCat("admin sha256:", kHashA, "\nvendor:v1\tsha256:", kHashB);
  const std::vector<KeyEntry> entries = ParseKeysFile(text, "keys").value();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].principal, ParsePrincipal("admin").value());
  EXPECT_EQ(entries[0].digest, Sha256("key-a"));
  EXPECT_EQ(entries[0].line, 1u);
  EXPECT_EQ(entries[1].principal, ParsePrincipal("vendor:v1").value());
  EXPECT_EQ(entries[1].digest, Sha256("key-b"));
  EXPECT_EQ(entries[1].line, 2u);
}

TEST(ParseKeysFile, EmptyTextHasNoKeys) { EXPECT_TRUE(ParseKeysFile("", "keys").value().empty()); }

TEST(ParseKeysFile, SkipsBlankLinesAndWholeLineComments) {
  const std::string text =
      absl::StrCat("# header\n\n   \n\t# indented comment\n#admin sha256:", kHashB,
                   "\nops sha256:", kHashA, "\n\n");
  const std::vector<KeyEntry> entries = ParseKeysFile(text, "keys").value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].principal, ParsePrincipal("ops").value());
  EXPECT_EQ(entries[0].line, 6u);
}

TEST(ParseKeysFile, IgnoresATrailingCommentAfterWhitespace) {
  const std::string text = absl::StrCat("ops sha256:", kHashA, "   # on-call # rotation\n",
                                        "admin sha256:", kHashB, "\t#x");
  EXPECT_EQ(ParseKeysFile(text, "keys").value().size(), 2u);
}

TEST(ParseKeysFile, HashAttachedToACommentIsAnError) {
  const absl::StatusOr<std::vector<KeyEntry>> parsed =
      ParseKeysFile(absl::StrCat("ops sha256:", kHashA, "#no-space"), "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("64 hex digits"));
}

TEST(ParseKeysFile, AcceptsCrLfLineEndsAndUppercaseHex) {
  std::string upper = kHashA;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::vector<KeyEntry> entries =
      ParseKeysFile(absl::StrCat("# windows\r\nops sha256:", upper, "\r\n"), "keys").value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].digest, Sha256("key-a"));
}

TEST(ParseKeysFile, BadLineErrorNamesTheFileAndLineNumber) {
  const std::string text =
      absl::StrCat("# header\nadmin sha256:", kHashA, "\n\nops sha256:nothex\n");
  const absl::StatusOr<std::vector<KeyEntry>> parsed = ParseKeysFile(text, "/etc/market/keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("keys file /etc/market/keys line 4:"));
}

TEST(ParseKeysFile, RejectsALineWithOneField) {
  const absl::StatusOr<std::vector<KeyEntry>> parsed = ParseKeysFile("admin\n", "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 1: expected"));
  EXPECT_THAT(parsed.status().message(), HasSubstr("found 1 field"));
}

TEST(ParseKeysFile, RejectsALineWithThreeFields) {
  const absl::StatusOr<std::vector<KeyEntry>> parsed =
      ParseKeysFile(absl::StrCat("admin sha256:", kHashA, " extra"), "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("found 3 fields"));
}

TEST(ParseKeysFile, RejectsAnInvalidPrincipalWithItsReason) {
  const absl::StatusOr<std::vector<KeyEntry>> parsed =
      ParseKeysFile(absl::StrCat("# c\nroot sha256:", kHashA), "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 2: principal \"root\" is not one of"));
}

TEST(ParseKeysFile, RejectsAHashWithoutTheSha256Prefix) {
  const absl::StatusOr<std::vector<KeyEntry>> parsed =
      ParseKeysFile(absl::StrCat("admin sha512:", kHashA), "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("must start with 'sha256:'"));
  EXPECT_THAT(parsed.status().message(), Not(HasSubstr(kHashA)));
}

TEST(ParseKeysFile, RejectsAHashOfTheWrongLength) {
  const absl::StatusOr<std::vector<KeyEntry>> parsed =
      ParseKeysFile(absl::StrCat("admin sha256:", kHashA, "00"), "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("must be 64 hex digits"));
}

TEST(ParseKeysFile, RejectsARawKeyWithoutRepeatingIt) {
  const std::string key = GenerateKey();
  for (const std::string& line : {absl::StrCat("admin ", key), absl::StrCat(key, " admin")}) {
    const absl::StatusOr<std::vector<KeyEntry>> parsed = ParseKeysFile(line, "keys");
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr("looks like a raw API key"));
    EXPECT_THAT(parsed.status().message(), Not(HasSubstr(key.substr(3))));
  }
}

TEST(ParseKeysFile, RejectsTheSameHashTwiceNamingTheFirstLine) {
  const std::string text =
      absl::StrCat("admin sha256:", kHashA, "\nops sha256:", kHashB, "\nops sha256:", kHashA);
  const absl::StatusOr<std::vector<KeyEntry>> parsed = ParseKeysFile(text, "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 3: the same key hash as line 1"));
}

TEST(ParseKeysFile, AllowsSeveralKeysForOnePrincipal) {
  const std::string text = absl::StrCat("ops sha256:", kHashA, "\nops sha256:", kHashB);
  EXPECT_EQ(ParseKeysFile(text, "keys").value().size(), 2u);
}

TEST(ParseKeysFile, RejectsAnOverlongLine) {
  const std::string text = absl::StrCat("# ", std::string(kMaxKeysFileLineBytes, 'x'));
  const absl::StatusOr<std::vector<KeyEntry>> parsed = ParseKeysFile(text, "keys");
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("line 1: line is longer than 1024 bytes"));
}

TEST(ReadKeysFile, MissingFileIsNotFoundNamingThePath) {
  testing_util::TempDir dir;
  const absl::StatusOr<std::vector<KeyEntry>> read = ReadKeysFile(dir.File("absent"));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(read.status().message(), HasSubstr(dir.File("absent")));
}

TEST(ReadKeysFile, ParseErrorNamesThePath) {
  testing_util::TempDir dir;
  testing_util::WriteFile(dir.File("keys"), "\n\nbogus\n");
  const absl::StatusOr<std::vector<KeyEntry>> read = ReadKeysFile(dir.File("keys"));
  EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(read.status().message(), HasSubstr("keys file " + dir.File("keys") + " line 3:"));
}

TEST(ReadKeysFile, RejectsADirectory) {
  testing_util::TempDir dir;
  EXPECT_EQ(ReadKeysFile(dir.path()).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST(FormatKeyLine, ParsesBackToThePrincipalAndTheKeysDigest) {
  const Principal principal = ParsePrincipal("sponsor:acme").value();
  const std::string line = FormatKeyLine(principal, "mk_secret");
  EXPECT_EQ(line, absl::StrCat("sponsor:acme sha256:", Sha256Hex("mk_secret"), "\n"));
  const std::vector<KeyEntry> entries = ParseKeysFile(line, "keys").value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].principal, principal);
  EXPECT_EQ(entries[0].digest, Sha256("mk_secret"));
}

}  // namespace
}  // namespace market::auth
