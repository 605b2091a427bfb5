// Writing the keys file: AppendKey (create 0600, append, refuse unsafe or
// broken files) and CreateDefaultKeysFile (once, atomically, never again).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "broker/auth/key_file.h"
#include "broker/auth/key_store.h"
#include "broker/auth/tests/temp_dir.h"

namespace market::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_util::FileMode;
using testing_util::ReadFile;
using testing_util::TempDir;
using testing_util::WriteFile;

Principal P(std::string_view text) { return ParsePrincipal(text).value(); }

TEST(AppendKey, CreatesAMissingFileWithMode0600) {
  TempDir dir;
  const std::string path = dir.File("keys");
  ASSERT_TRUE(AppendKey(path, P("ops")).ok());
  EXPECT_EQ(FileMode(path), 0600u);
}

TEST(AppendKey, NewFileHasACommentHeaderAndTheKeysLine) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const std::string key = AppendKey(path, P("vendor:v1")).value();
  const std::string text = ReadFile(path);
  EXPECT_TRUE(absl::StartsWith(text, "# ")) << text;
  EXPECT_TRUE(absl::EndsWith(text, FormatKeyLine(P("vendor:v1"), key))) << text;
}

TEST(AppendKey, ReturnsAFreshKeyAndStoresOnlyItsHash) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const std::string key = AppendKey(path, P("ops")).value();
  EXPECT_TRUE(key.starts_with(kKeyPrefix));
  EXPECT_THAT(ReadFile(path), Not(HasSubstr(key)));
  EXPECT_THAT(ReadFile(path), HasSubstr(Sha256Hex(key)));
}

TEST(AppendKey, AppendsToAnExistingFileKeepingItsLines) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const std::string before = absl::StrCat("# mine\nadmin sha256:", Sha256Hex("old"), "\n");
  WriteFile(path, before);
  const std::string key = AppendKey(path, P("sponsor:acme")).value();
  EXPECT_EQ(ReadFile(path), before + FormatKeyLine(P("sponsor:acme"), key));
  EXPECT_EQ(FileMode(path), 0600u);
}

TEST(AppendKey, StartsANewLineWhenTheFileLacksAFinalNewline) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const std::string before = absl::StrCat("admin sha256:", Sha256Hex("old"));
  WriteFile(path, before);
  const std::string key = AppendKey(path, P("ops")).value();
  EXPECT_EQ(ReadFile(path), before + "\n" + FormatKeyLine(P("ops"), key));
}

TEST(AppendKey, SuccessiveKeysAllParse) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const std::string first = AppendKey(path, P("ops")).value();
  const std::string second = AppendKey(path, P("ops")).value();
  EXPECT_NE(first, second);
  const std::vector<KeyEntry> entries = ReadKeysFile(path).value();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].digest, Sha256(first));
  EXPECT_EQ(entries[1].digest, Sha256(second));
}

TEST(AppendKey, RefusesAGroupOrWorldReadableFileAndWritesNothing) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const std::string before = absl::StrCat("admin sha256:", Sha256Hex("old"), "\n");
  WriteFile(path, before, 0644);
  const absl::StatusOr<std::string> key = AppendKey(path, P("ops"));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(key.status().message(), HasSubstr("mode 0644"));
  EXPECT_THAT(key.status().message(), HasSubstr("chmod 600"));
  EXPECT_EQ(ReadFile(path), before);
}

TEST(AppendKey, RefusesAFileThatDoesNotParseAndWritesNothing) {
  TempDir dir;
  const std::string path = dir.File("keys");
  WriteFile(path, "admin\n");
  const absl::StatusOr<std::string> key = AppendKey(path, P("ops"));
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(key.status().message(), HasSubstr("line 1"));
  EXPECT_EQ(ReadFile(path), "admin\n");
}

TEST(AppendKey, RefusesAnInvalidPrincipal) {
  TempDir dir;
  const std::string path = dir.File("keys");
  EXPECT_EQ(AppendKey(path, Principal{Principal::Kind::kVendor, "has space"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendKey(path, Principal{Principal::Kind::kAdmin, "x"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(testing_util::FileExists(path));
}

TEST(AppendKey, MissingDirectoryIsNotFound) {
  TempDir dir;
  EXPECT_EQ(AppendKey(dir.File("no/such/keys"), P("ops")).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(CreateDefaultKeysFile, CreatesTheFileWithMode0600) {
  TempDir dir;
  const std::string path = dir.File("keys");
  ASSERT_TRUE(CreateDefaultKeysFile(path).ok());
  EXPECT_EQ(FileMode(path), 0600u);
}

TEST(CreateDefaultKeysFile, ReturnsAnAdminKeyAndAnOpsKeyThatAuthenticate) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const auto keys = CreateDefaultKeysFile(path).value();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].first, P("admin"));
  EXPECT_EQ(keys[1].first, P("ops"));
  const std::unique_ptr<KeyStore> store = KeyStore::Load(path).value();
  EXPECT_EQ(store->Authenticate("Bearer " + keys[0].second).value(), P("admin"));
  EXPECT_EQ(store->Authenticate("Bearer " + keys[1].second).value(), P("ops"));
  EXPECT_EQ(store->key_count(), 2u);
}

TEST(CreateDefaultKeysFile, WritesACommentHeaderAndNoKeys) {
  TempDir dir;
  const std::string path = dir.File("keys");
  const auto keys = CreateDefaultKeysFile(path).value();
  const std::string text = ReadFile(path);
  EXPECT_TRUE(absl::StartsWith(text, "# ")) << text;
  for (const auto& [principal, key] : keys) EXPECT_THAT(text, Not(HasSubstr(key)));
}

TEST(CreateDefaultKeysFile, SecondCallReturnsNothingAndTouchesNothing) {
  TempDir dir;
  const std::string path = dir.File("keys");
  ASSERT_EQ(CreateDefaultKeysFile(path).value().size(), 2u);
  const std::string text = ReadFile(path);
  EXPECT_TRUE(CreateDefaultKeysFile(path).value().empty());
  EXPECT_EQ(ReadFile(path), text);
}

TEST(CreateDefaultKeysFile, LeavesAnExistingFileAloneEvenIfEmpty) {
  TempDir dir;
  const std::string path = dir.File("keys");
  WriteFile(path, "", 0640);
  EXPECT_TRUE(CreateDefaultKeysFile(path).value().empty());
  EXPECT_EQ(ReadFile(path), "");
  EXPECT_EQ(FileMode(path), 0640u);
}

TEST(CreateDefaultKeysFile, LeavesNoTemporaryFileBehind) {
  TempDir dir;
  ASSERT_TRUE(CreateDefaultKeysFile(dir.File("keys")).ok());
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(CreateDefaultKeysFile, MissingDirectoryIsNotFound) {
  TempDir dir;
  EXPECT_EQ(CreateDefaultKeysFile(dir.File("no/such/keys")).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace market::auth
