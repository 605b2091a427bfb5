// KeyStore: bearer authentication, its three failure messages (never with the
// key in them), certificate CNs, and following the file on a running server.
#include "broker/auth/key_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "broker/auth/key_file.h"
#include "broker/auth/tests/temp_dir.h"

namespace market::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing_util::TempDir;

Principal P(std::string_view text) { return ParsePrincipal(text).value(); }

// A keys file with one admin key, in its own directory.
class KeyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("keys");
    admin_key_ = AppendKey(path_, P("admin")).value();
  }

  std::unique_ptr<KeyStore> Load(KeyStoreOptions options = {}) {
    return KeyStore::Load(path_, options).value();
  }

  TempDir dir_;
  std::string path_;
  std::string admin_key_;
};

TEST_F(KeyStoreTest, KnownKeyAuthenticatesAsItsPrincipal) {
  EXPECT_EQ(Load()->Authenticate("Bearer " + admin_key_).value(), P("admin"));
}

TEST_F(KeyStoreTest, BearerIsCaseInsensitiveAndMaySpanSeveralSpaces) {
  const std::unique_ptr<KeyStore> store = Load();
  EXPECT_EQ(store->Authenticate("bearer " + admin_key_).value(), P("admin"));
  EXPECT_EQ(store->Authenticate("BEARER   " + admin_key_).value(), P("admin"));
}

TEST_F(KeyStoreTest, MissingHeaderIsUnauthenticated) {
  const absl::StatusOr<Principal> principal = Load()->Authenticate("");
  EXPECT_EQ(principal.status(), absl::UnauthenticatedError("missing authorization metadata"));
}

TEST_F(KeyStoreTest, MalformedHeaderIsUnauthenticated) {
  const std::unique_ptr<KeyStore> store = Load();
  for (const std::string& value : std::vector<std::string>{
           admin_key_, "Basic " + admin_key_, "Bearer", "Bearer ", "Bearer" + admin_key_,
           "Bearer\t" + admin_key_, "Bearer " + admin_key_ + " ", "Bearer a b",
           "Token " + admin_key_}) {
    EXPECT_EQ(store->Authenticate(value).status(),
              absl::UnauthenticatedError("authorization must be 'Bearer <key>'"))
        << value;
  }
}

TEST_F(KeyStoreTest, WrongKeyIsUnauthenticated) {
  const absl::StatusOr<Principal> principal = Load()->Authenticate("Bearer " + GenerateKey());
  EXPECT_EQ(principal.status(), absl::UnauthenticatedError("unknown API key"));
}

TEST_F(KeyStoreTest, AlmostRightKeyIsUnauthenticated) {
  std::string almost = admin_key_;
  almost.back() = almost.back() == '0' ? '1' : '0';
  EXPECT_EQ(Load()->Authenticate("Bearer " + almost).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(KeyStoreTest, NoFailureMessageContainsThePresentedKey) {
  const std::unique_ptr<KeyStore> store = Load();
  const std::string key = GenerateKey();
  const std::string secret = key.substr(kKeyPrefix.size());
  for (const std::string& value : {"Bearer " + key, "Token " + key, key, "Bearer " + key + " x"}) {
    const absl::Status status = store->Authenticate(value).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kUnauthenticated) << value;
    EXPECT_THAT(status.message(), Not(HasSubstr(secret))) << value;
  }
}

TEST_F(KeyStoreTest, LoadOfAMissingFileIsNotFound) {
  EXPECT_EQ(KeyStore::Load(dir_.File("absent")).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(KeyStoreTest, LoadOfABrokenFileIsInvalidArgument) {
  testing_util::AppendToFile(path_, "garbage\n");
  EXPECT_EQ(KeyStore::Load(path_).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(KeyStoreTest, CertificateCnNamingAPrincipalAuthenticates) {
  EXPECT_EQ(Load()->AuthenticateCertificateCn("vendor:staffco").value(), P("vendor:staffco"));
}

TEST_F(KeyStoreTest, CertificateCnNotNamingAPrincipalIsUnauthenticated) {
  const std::unique_ptr<KeyStore> store = Load();
  for (const char* cn : {"", "www.example.com", "vendor:", "Admin"}) {
    EXPECT_EQ(store->AuthenticateCertificateCn(cn).status().code(),
              absl::StatusCode::kUnauthenticated)
        << cn;
  }
}

TEST_F(KeyStoreTest, ReloadIfChangedPicksUpAnAppendedKey) {
  const std::unique_ptr<KeyStore> store = Load();
  const std::string ops_key = AppendKey(path_, P("ops")).value();
  ASSERT_TRUE(store->ReloadIfChanged().ok());
  EXPECT_EQ(store->Authenticate("Bearer " + ops_key).value(), P("ops"));
  EXPECT_EQ(store->Authenticate("Bearer " + admin_key_).value(), P("admin"));
  EXPECT_EQ(store->key_count(), 2u);
}

TEST_F(KeyStoreTest, ReloadIfChangedOnAnUnchangedFileIsOk) {
  const std::unique_ptr<KeyStore> store = Load();
  EXPECT_TRUE(store->ReloadIfChanged().ok());
  EXPECT_TRUE(store->last_reload_status().ok());
  EXPECT_EQ(store->key_count(), 1u);
}

TEST_F(KeyStoreTest, AuthenticatePicksUpAnAppendedKeyWhenACheckIsDue) {
  const std::unique_ptr<KeyStore> store = Load({.check_interval = std::chrono::milliseconds(0)});
  const std::string ops_key = AppendKey(path_, P("ops")).value();
  EXPECT_EQ(store->Authenticate("Bearer " + ops_key).value(), P("ops"));
}

TEST_F(KeyStoreTest, AuthenticateDoesNotCheckBeforeTheIntervalHasPassed) {
  const std::unique_ptr<KeyStore> store = Load({.check_interval = std::chrono::hours(1)});
  const std::string ops_key = AppendKey(path_, P("ops")).value();
  EXPECT_EQ(store->Authenticate("Bearer " + ops_key).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(KeyStoreTest, AuthenticatePicksUpAnAppendedKeyAfterTheDefaultSecond) {
  const std::unique_ptr<KeyStore> store = Load();
  const std::string ops_key = AppendKey(path_, P("ops")).value();
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(store->Authenticate("Bearer " + ops_key).value(), P("ops"));
}

TEST_F(KeyStoreTest, RemovedLineRevokesItsKey) {
  const std::string ops_key = AppendKey(path_, P("ops")).value();
  const std::unique_ptr<KeyStore> store = Load();
  ASSERT_TRUE(store->Authenticate("Bearer " + ops_key).ok());
  testing_util::WriteFile(path_, FormatKeyLine(P("admin"), admin_key_));
  ASSERT_TRUE(store->ReloadIfChanged().ok());
  EXPECT_EQ(store->Authenticate("Bearer " + ops_key).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(store->Authenticate("Bearer " + admin_key_).value(), P("admin"));
}

TEST_F(KeyStoreTest, FailedReloadKeepsTheOldKeysAndReportsWhy) {
  const std::unique_ptr<KeyStore> store = Load();
  testing_util::AppendToFile(path_, "ops sha256:tooshort\n");
  const absl::Status reload = store->ReloadIfChanged();
  EXPECT_EQ(reload.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(reload.message(), HasSubstr("line 6"));
  EXPECT_EQ(store->last_reload_status(), reload);
  EXPECT_EQ(store->Authenticate("Bearer " + admin_key_).value(), P("admin"));
}

TEST_F(KeyStoreTest, FailedReloadStaysReportedUntilTheFileIsFixed) {
  const std::unique_ptr<KeyStore> store = Load();
  const std::string good = testing_util::ReadFile(path_);
  testing_util::AppendToFile(path_, "bogus\n");
  EXPECT_FALSE(store->ReloadIfChanged().ok());
  EXPECT_FALSE(store->ReloadIfChanged().ok());  // unchanged, still broken
  EXPECT_FALSE(store->last_reload_status().ok());
  const std::string ops_key = GenerateKey();
  testing_util::WriteFile(path_, good + FormatKeyLine(P("ops"), ops_key));
  EXPECT_TRUE(store->ReloadIfChanged().ok());
  EXPECT_TRUE(store->last_reload_status().ok());
  EXPECT_EQ(store->Authenticate("Bearer " + ops_key).value(), P("ops"));
}

TEST_F(KeyStoreTest, DeletedFileKeepsTheOldKeysAndReportsNotFound) {
  const std::unique_ptr<KeyStore> store = Load();
  ASSERT_TRUE(std::filesystem::remove(path_));
  EXPECT_EQ(store->ReloadIfChanged().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->last_reload_status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(store->Authenticate("Bearer " + admin_key_).value(), P("admin"));
}

TEST_F(KeyStoreTest, AuthenticatesFromManyThreadsWhileTheFileChanges) {
  const std::unique_ptr<KeyStore> store = Load({.check_interval = std::chrono::milliseconds(0)});
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!store->Authenticate("Bearer " + admin_key_).ok()) ++failures;
      }
    });
  }
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(AppendKey(path_, P("ops")).ok());
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_TRUE(store->ReloadIfChanged().ok());
  EXPECT_EQ(store->key_count(), 21u);
}

}  // namespace
}  // namespace market::auth
