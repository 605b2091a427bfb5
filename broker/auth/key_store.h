// KeyStore: the server's view of the keys file, answering "who is calling?"
// for every RPC but health.
//
// Callers present `authorization: Bearer <key>` metadata; the store hashes the
// key and compares the digest, in constant time, with every stored one. It
// also turns an mTLS client certificate's CN into a principal. Failures are
// UNAUTHENTICATED with one of three messages ("missing authorization
// metadata", "authorization must be 'Bearer <key>'", "unknown API key"); no
// message ever contains the presented key or header.
//
// The store follows the file: Authenticate stats it at most once per
// check_interval and, when its identity (inode, size, mtime, ctime) changed,
// re-reads it, so `marketctl keys add` and revocations take effect on a running
// server within that interval. A re-read that fails (unreadable, unparsable,
// missing) keeps the keys that were loaded last; its error is
// last_reload_status() until a later check succeeds.
//
// Thread safety: every method may be called from any number of threads (the
// gRPC handler threads). A due check runs on the calling thread; concurrent
// callers keep authenticating against the current keys meanwhile.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "broker/auth/internal/posix_file.h"
#include "broker/auth/key_file.h"
#include "broker/auth/principal.h"

namespace market::auth {

struct KeyStoreOptions {
  // How often Authenticate looks at the file for changes; zero: every call.
  std::chrono::milliseconds check_interval{1000};
};

class KeyStore {
 public:
  // Reads the keys file at `path`; errors as ReadKeysFile. The next check for
  // changes is due one check_interval after Load.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<KeyStore>> Load(const std::string& path,
                                                                      KeyStoreOptions options = {});

  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;
  KeyStore(KeyStore&&) = delete;
  KeyStore& operator=(KeyStore&&) = delete;

  // The principal named by an `authorization` metadata value of the form
  // `Bearer <key>` ("Bearer" in any case, then one or more spaces); an empty
  // value means the metadata was absent. Runs a due change check first.
  [[nodiscard]] absl::StatusOr<Principal> Authenticate(std::string_view authorization_header_value)
      ABSL_LOCKS_EXCLUDED(reload_mu_, mu_);

  // The principal named by a verified client certificate's CN (ParsePrincipal
  // grammar); UNAUTHENTICATED, with ParsePrincipal's reason, otherwise.
  [[nodiscard]] absl::StatusOr<Principal> AuthenticateCertificateCn(std::string_view cn) const;

  // Checks the file now, whatever the interval, and re-reads it if it
  // changed. Returns (and records as last_reload_status) OK when unchanged or
  // re-read, else why the re-read failed, the old keys staying in force.
  [[nodiscard]] absl::Status ReloadIfChanged() ABSL_LOCKS_EXCLUDED(reload_mu_, mu_);

  // The outcome of the latest check; OK after Load.
  absl::Status last_reload_status() const ABSL_LOCKS_EXCLUDED(mu_);

  // How many keys are in force.
  size_t key_count() const ABSL_LOCKS_EXCLUDED(mu_);

  const std::string& path() const { return path_; }

 private:
  using Clock = std::chrono::steady_clock;

  KeyStore(std::string path, KeyStoreOptions options, internal::FileIdentity identity,
           std::vector<KeyEntry> entries);

  // Runs ReloadIfChanged when a check is due.
  void MaybeCheckForChanges() ABSL_LOCKS_EXCLUDED(reload_mu_, mu_);

  const std::string path_;
  const KeyStoreOptions options_;

  // Serializes checks, so a changed file is read once; taken before mu_.
  absl::Mutex reload_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  // The file version last read and the outcome of reading it.
  internal::FileIdentity read_identity_ ABSL_GUARDED_BY(reload_mu_);
  absl::Status read_status_ ABSL_GUARDED_BY(reload_mu_);

  mutable absl::Mutex mu_;
  std::vector<KeyEntry> entries_ ABSL_GUARDED_BY(mu_);
  absl::Status last_reload_status_ ABSL_GUARDED_BY(mu_);
  Clock::time_point next_check_ ABSL_GUARDED_BY(mu_);
};

}  // namespace market::auth
