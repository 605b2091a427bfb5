#include "broker/auth/key_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "broker/auth/internal/posix_file.h"
#include "broker/auth/internal/string_view.h"

namespace market::auth {
namespace {

using internal::UniqueFd;

constexpr std::string_view kHashPrefix = "sha256:";
constexpr char kLineForm[] = "'<principal> sha256:<64 hex digits>'";
constexpr mode_t kKeysFileMode = 0600;

constexpr std::string_view kHeader =
    "# marketd API keys: one line per key, \"<principal> sha256:<hex SHA-256 of the key>\".\n"
    "# Principals: admin, ops, sponsor:<id>, vendor:<id>. Add a key with\n"
    "# `marketctl keys add PRINCIPAL --keys FILE`; delete its line to revoke it.\n"
    "# A running marketd picks up changes within a second. Keep this file mode 0600.\n";

// Checks `principal` is one ParsePrincipal would produce, so its line parses.
absl::Status ValidatePrincipal(const Principal& principal) {
  absl::StatusOr<Principal> parsed = ParsePrincipal(principal.ToString());
  if (!parsed.ok()) return parsed.status();
  if (*parsed != principal) {
    return absl::InvalidArgumentError(
        absl::StrCat("principal ", principal.ToString(), " must not carry a participant id"));
  }
  return absl::OkStatus();
}

// Opens `path` for appending, creating it (mode 0600) when missing; `created`
// says which happened.
absl::StatusOr<UniqueFd> OpenForAppend(const std::string& path, bool& created) {
  constexpr int kFlags = O_RDWR | O_APPEND | O_CLOEXEC;
  UniqueFd fd(::open(path.c_str(), kFlags | O_CREAT | O_EXCL, kKeysFileMode));
  if (fd.valid()) {
    created = true;
    if (::fchmod(fd.get(), kKeysFileMode) != 0) return internal::ErrnoError(errno, "chmod", path);
    return fd;
  }
  if (errno != EEXIST) return internal::ErrnoError(errno, "create", path);
  created = false;
  fd = UniqueFd(::open(path.c_str(), kFlags));
  if (!fd.valid()) return internal::ErrnoError(errno, "open", path);
  return fd;
}

constexpr std::string_view kBlanks = " \t\r";

// The blank-separated fields of `line` before its comment, if any: a '#' at
// the start of a field starts a comment that runs to the end of the line.
std::vector<std::string_view> FieldsOf(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t begin = line.find_first_not_of(kBlanks);
  while (begin != std::string_view::npos && line[begin] != '#') {
    const size_t end = std::min(line.find_first_of(kBlanks, begin), line.size());
    fields.push_back(line.substr(begin, end - begin));
    begin = line.find_first_not_of(kBlanks, end);
  }
  return fields;
}

// A name beside `path` for a temporary file, unique within this host.
std::string TemporaryNameFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return absl::StrCat(path, ".tmp.", ::getpid(), ".", counter.fetch_add(1));
}

}  // namespace

absl::StatusOr<std::vector<KeyEntry>> ParseKeysFile(std::string_view text,
                                                    std::string_view file_name) {
  std::vector<KeyEntry> entries;
  std::map<KeyDigest, uint32_t> line_of_digest;
  uint32_t line_number = 0;
  while (!text.empty()) {
    const size_t newline = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, newline);
    text.remove_prefix(std::min(newline + 1, text.size()));
    ++line_number;
    auto error = [&](absl::string_view problem) {
      return absl::InvalidArgumentError(absl::StrCat("keys file ", internal::ToAbsl(file_name),
                                                     " line ", line_number, ": ", problem));
    };
    if (line.size() > kMaxKeysFileLineBytes) {
      return error(absl::StrCat("line is longer than ", kMaxKeysFileLineBytes, " bytes"));
    }
    const std::vector<std::string_view> fields = FieldsOf(line);
    if (fields.empty()) continue;
    if (fields.size() != 2) {
      return error(absl::StrCat("expected ", kLineForm, ", found ", fields.size(),
                                fields.size() == 1 ? " field" : " fields"));
    }
    if (fields[0].starts_with(kKeyPrefix) || fields[1].starts_with(kKeyPrefix)) {
      return error(
          "a field looks like a raw API key; store 'sha256:<hex SHA-256 of the key>' instead, "
          "and treat that key as leaked");
    }
    absl::StatusOr<Principal> principal = ParsePrincipal(fields[0]);
    if (!principal.ok()) return error(principal.status().message());
    std::string_view hash = fields[1];
    if (!hash.starts_with(kHashPrefix)) {
      return error(
          absl::StrCat("the second field must start with 'sha256:'; expected ", kLineForm));
    }
    hash.remove_prefix(kHashPrefix.size());
    std::optional<KeyDigest> digest = DigestFromHex(hash);
    if (!digest.has_value()) {
      return error("the hash after 'sha256:' must be 64 hex digits");
    }
    if (auto [it, inserted] = line_of_digest.emplace(*digest, line_number); !inserted) {
      return error(absl::StrCat("the same key hash as line ", it->second));
    }
    if (entries.size() == kMaxKeysPerFile) {
      return error(absl::StrCat("more than ", kMaxKeysPerFile, " keys"));
    }
    entries.push_back(KeyEntry{*std::move(principal), *digest, line_number});
  }
  return entries;
}

absl::StatusOr<std::vector<KeyEntry>> ReadKeysFile(const std::string& path) {
  absl::StatusOr<internal::FileSnapshot> file = internal::ReadRegularFile(path, kMaxKeysFileBytes);
  if (!file.ok()) return file.status();
  return ParseKeysFile(file->text, path);
}

std::string FormatKeyLine(const Principal& principal, std::string_view key) {
  return absl::StrCat(principal.ToString(), " ", internal::ToAbsl(kHashPrefix), Sha256Hex(key),
                      "\n");
}

absl::StatusOr<std::string> AppendKey(const std::string& path, const Principal& principal) {
  if (absl::Status valid = ValidatePrincipal(principal); !valid.ok()) return valid;
  bool created = false;
  absl::StatusOr<UniqueFd> fd = OpenForAppend(path, created);
  if (!fd.ok()) return fd.status();
  while (::flock(fd->get(), LOCK_EX) != 0) {
    if (errno != EINTR) return internal::ErrnoError(errno, "lock", path);
  }
  mode_t mode = 0;
  if (absl::Status regular = internal::StatRegularFile(fd->get(), path, &mode).status();
      !regular.ok()) {
    return regular;
  }
  if ((mode & 0066) != 0) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "keys file %s has mode %04o, so group or others may read or write it; run `chmod 600 %s` "
        "and check who has seen it",
        path, mode, path));
  }
  absl::StatusOr<std::string> existing = internal::ReadAll(fd->get(), path, kMaxKeysFileBytes);
  if (!existing.ok()) return existing.status();
  if (absl::Status parsed = ParseKeysFile(*existing, path).status(); !parsed.ok()) return parsed;

  std::string key = GenerateKey();
  std::string text;
  if (existing->empty()) {
    text = kHeader;
  } else if (existing->back() != '\n') {
    text = "\n";
  }
  text += FormatKeyLine(principal, key);
  if (absl::Status written = internal::WriteAll(fd->get(), path, text); !written.ok()) {
    return written;
  }
  if (absl::Status synced = internal::Sync(fd->get(), path); !synced.ok()) return synced;
  if (created) {
    if (absl::Status synced = internal::SyncParentDirectory(path); !synced.ok()) return synced;
  }
  return key;
}

absl::StatusOr<std::vector<std::pair<Principal, std::string>>> CreateDefaultKeysFile(
    const std::string& path) {
  std::vector<std::pair<Principal, std::string>> keys;
  struct stat st;
  if (::lstat(path.c_str(), &st) == 0) return keys;  // exists: touch nothing
  if (errno != ENOENT) return internal::ErrnoError(errno, "stat", path);

  keys.emplace_back(Principal{Principal::Kind::kAdmin, ""}, GenerateKey());
  keys.emplace_back(Principal{Principal::Kind::kOps, ""}, GenerateKey());
  std::string text(kHeader);
  text += "# Created by marketd on its first start, with one admin and one ops key.\n";
  for (const auto& [principal, key] : keys) text += FormatKeyLine(principal, key);

  const std::string temporary = TemporaryNameFor(path);
  constexpr int kFlags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  UniqueFd fd(::open(temporary.c_str(), kFlags, kKeysFileMode));
  if (!fd.valid() && errno == EEXIST) {  // left by a crashed process that had our pid
    ::unlink(temporary.c_str());
    fd = UniqueFd(::open(temporary.c_str(), kFlags, kKeysFileMode));
  }
  if (!fd.valid()) return internal::ErrnoError(errno, "create", temporary);
  absl::Status status;
  if (::fchmod(fd.get(), kKeysFileMode) != 0) {
    status = internal::ErrnoError(errno, "chmod", temporary);
  }
  if (status.ok()) status = internal::WriteAll(fd.get(), temporary, text);
  if (status.ok()) status = internal::Sync(fd.get(), temporary);
  fd = UniqueFd();
  bool existed = false;
  if (status.ok() && ::link(temporary.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST) {
      existed = true;  // another process created it first: theirs stands
    } else {
      status = internal::ErrnoError(errno, absl::StrCat("link ", temporary, " to"), path);
    }
  }
  ::unlink(temporary.c_str());
  if (!status.ok()) return status;
  if (existed) return std::vector<std::pair<Principal, std::string>>();
  if (absl::Status synced = internal::SyncParentDirectory(path); !synced.ok()) return synced;
  return keys;
}

}  // namespace market::auth
