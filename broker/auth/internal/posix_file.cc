#include "broker/auth/internal/posix_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "broker/auth/internal/string_view.h"

namespace market::auth::internal {
namespace {

FileIdentity IdentityOf(const struct stat& st) {
  FileIdentity identity;
  identity.device = static_cast<uint64_t>(st.st_dev);
  identity.inode = static_cast<uint64_t>(st.st_ino);
  identity.size_bytes = static_cast<int64_t>(st.st_size);
  identity.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  identity.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  return identity;
}

}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

int UniqueFd::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

absl::Status ErrnoError(int errno_value, std::string_view what, const std::string& path) {
  return absl::ErrnoToStatus(errno_value, absl::StrCat(ToAbsl(what), " ", path));
}

absl::StatusOr<FileIdentity> StatPath(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoError(errno, "stat", path);
  return IdentityOf(st);
}

absl::StatusOr<FileIdentity> StatRegularFile(int fd, const std::string& path, mode_t* mode) {
  struct stat st;
  if (::fstat(fd, &st) != 0) return ErrnoError(errno, "fstat", path);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is not a regular file"));
  }
  if (mode != nullptr) *mode = st.st_mode & 07777;
  return IdentityOf(st);
}

absl::StatusOr<std::string> ReadAll(int fd, const std::string& path, size_t max_bytes) {
  std::string text;
  char buffer[16 * 1024];
  off_t offset = 0;
  while (true) {
    const ssize_t n = ::pread(fd, buffer, sizeof(buffer), offset);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "read", path);
    }
    if (n == 0) return text;
    text.append(buffer, static_cast<size_t>(n));
    offset += n;
    if (text.size() > max_bytes) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, " is larger than the ", max_bytes, " bytes allowed"));
    }
  }
}

absl::StatusOr<FileSnapshot> ReadRegularFile(const std::string& path, size_t max_bytes) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoError(errno, "open", path);
  absl::StatusOr<FileIdentity> identity = StatRegularFile(fd.get(), path);
  if (!identity.ok()) return identity.status();
  absl::StatusOr<std::string> text = ReadAll(fd.get(), path, max_bytes);
  if (!text.ok()) return text.status();
  return FileSnapshot{*std::move(text), *identity};
}

absl::Status WriteAll(int fd, const std::string& path, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::Status Sync(int fd, const std::string& path) {
  if (::fsync(fd) != 0) return ErrnoError(errno, "fsync", path);
  return absl::OkStatus();
}

absl::Status SyncParentDirectory(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  UniqueFd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoError(errno, "open directory", dir);
  return Sync(fd.get(), dir);
}

}  // namespace market::auth::internal
