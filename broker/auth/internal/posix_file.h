// POSIX file helpers for the keys file: an owning descriptor, bounded reads,
// complete writes, directory syncs and errno-to-Status with the path named.
// Internal to market::auth; not part of its API.
//
// Invariants: every error message names the path it concerns; reads never
// return more than the bound the caller gives.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace market::auth::internal {

// Owns one file descriptor and closes it on destruction. Move-only.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();

 private:
  int fd_ = -1;
};

// What identifies one version of a file for change detection: a replaced file
// (new inode) or a rewritten one (size, mtime or ctime) compares unequal.
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  int64_t size_bytes = 0;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;

  bool operator==(const FileIdentity&) const = default;
};

// `errno_value` as a Status: "<what> <path>: <strerror>", code by errno.
absl::Status ErrnoError(int errno_value, std::string_view what, const std::string& path);

// stat(2) of `path` (following symlinks).
absl::StatusOr<FileIdentity> StatPath(const std::string& path);

// fstat(2) of `fd`; FAILED_PRECONDITION unless it is a regular file. `mode`,
// when given, receives the permission bits.
absl::StatusOr<FileIdentity> StatRegularFile(int fd, const std::string& path,
                                             mode_t* mode = nullptr);

// The whole content of `fd` from offset 0 (pread, so the file offset is not
// used); FAILED_PRECONDITION when it is longer than `max_bytes`.
absl::StatusOr<std::string> ReadAll(int fd, const std::string& path, size_t max_bytes);

// A regular file's content and the identity of the version that was read.
struct FileSnapshot {
  std::string text;
  FileIdentity identity;
};
absl::StatusOr<FileSnapshot> ReadRegularFile(const std::string& path, size_t max_bytes);

// write(2) until all of `data` is written.
absl::Status WriteAll(int fd, const std::string& path, std::string_view data);

// fsync(2) of `fd`.
absl::Status Sync(int fd, const std::string& path);

// fsync(2) of the directory holding `path`, so a created or linked name is
// durable.
absl::Status SyncParentDirectory(const std::string& path);

}  // namespace market::auth::internal
