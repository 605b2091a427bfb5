#include "broker/auth/key_store.h"

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "broker/auth/api_key.h"
#include "broker/auth/internal/string_view.h"

namespace market::auth {
namespace {

constexpr std::string_view kBearer = "Bearer";

// The key in "Bearer <key>", or empty when the value has another form.
std::string_view BearerToken(std::string_view value) {
  if (value.size() <= kBearer.size() ||
      !absl::EqualsIgnoreCase(internal::ToAbsl(value.substr(0, kBearer.size())),
                              internal::ToAbsl(kBearer)) ||
      value[kBearer.size()] != ' ') {
    return {};
  }
  std::string_view token = value.substr(kBearer.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  for (char c : token) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) ||
        absl::ascii_iscntrl(static_cast<unsigned char>(c))) {
      return {};
    }
  }
  return token;
}

}  // namespace

absl::StatusOr<std::unique_ptr<KeyStore>> KeyStore::Load(const std::string& path,
                                                         KeyStoreOptions options) {
  absl::StatusOr<internal::FileSnapshot> file = internal::ReadRegularFile(path, kMaxKeysFileBytes);
  if (!file.ok()) return file.status();
  absl::StatusOr<std::vector<KeyEntry>> entries = ParseKeysFile(file->text, path);
  if (!entries.ok()) return entries.status();
  return std::unique_ptr<KeyStore>(
      new KeyStore(path, options, file->identity, *std::move(entries)));
}

KeyStore::KeyStore(std::string path, KeyStoreOptions options, internal::FileIdentity identity,
                   std::vector<KeyEntry> entries)
    : path_(std::move(path)),
      options_(options),
      read_identity_(identity),
      entries_(std::move(entries)),
      next_check_(Clock::now() + options.check_interval) {}

absl::StatusOr<Principal> KeyStore::Authenticate(std::string_view authorization_header_value) {
  if (authorization_header_value.empty()) {
    return absl::UnauthenticatedError("missing authorization metadata");
  }
  const std::string_view key = BearerToken(authorization_header_value);
  if (key.empty()) return absl::UnauthenticatedError("authorization must be 'Bearer <key>'");
  const KeyDigest digest = Sha256(key);

  MaybeCheckForChanges();

  absl::ReaderMutexLock lock(&mu_);
  const KeyEntry* match = nullptr;
  for (const KeyEntry& entry : entries_) {  // no early exit: the time does not depend on the key
    if (DigestsEqual(entry.digest, digest)) match = &entry;
  }
  if (match == nullptr) return absl::UnauthenticatedError("unknown API key");
  return match->principal;
}

absl::StatusOr<Principal> KeyStore::AuthenticateCertificateCn(std::string_view cn) const {
  if (cn.empty()) return absl::UnauthenticatedError("client certificate has no CN");
  absl::StatusOr<Principal> principal = ParsePrincipal(cn);
  if (!principal.ok()) {
    return absl::UnauthenticatedError(absl::StrCat(
        "client certificate CN does not name a principal: ", principal.status().message()));
  }
  return principal;
}

void KeyStore::MaybeCheckForChanges() {
  {
    absl::MutexLock lock(&mu_);
    const Clock::time_point now = Clock::now();
    if (now < next_check_) return;
    next_check_ = now + options_.check_interval;
  }
  // The outcome is kept in last_reload_status(); the old keys stay in force.
  (void)ReloadIfChanged();
}

absl::Status KeyStore::ReloadIfChanged() {
  absl::MutexLock reload_lock(&reload_mu_);
  absl::Status status;
  std::vector<KeyEntry> entries;
  bool replace = false;
  absl::StatusOr<internal::FileIdentity> identity = internal::StatPath(path_);
  if (!identity.ok()) {
    status = identity.status();
  } else if (*identity == read_identity_) {
    status = read_status_;  // unchanged: as good or as bad as when it was read
  } else {
    absl::StatusOr<internal::FileSnapshot> file =
        internal::ReadRegularFile(path_, kMaxKeysFileBytes);
    if (!file.ok()) {
      status = file.status();
    } else {
      absl::StatusOr<std::vector<KeyEntry>> parsed = ParseKeysFile(file->text, path_);
      read_identity_ = file->identity;
      read_status_ = parsed.status();
      status = parsed.status();
      if (parsed.ok()) {
        entries = *std::move(parsed);
        replace = true;
      }
    }
  }
  absl::MutexLock lock(&mu_);
  if (replace) entries_.swap(entries);
  last_reload_status_ = status;
  return status;
}

absl::Status KeyStore::last_reload_status() const {
  absl::ReaderMutexLock lock(&mu_);
  return last_reload_status_;
}

size_t KeyStore::key_count() const {
  absl::ReaderMutexLock lock(&mu_);
  return entries_.size();
}

}  // namespace market::auth
