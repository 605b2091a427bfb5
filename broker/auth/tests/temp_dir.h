// Test helpers: a fresh directory per test (removed with its contents
// afterwards) and small file utilities for inspecting what the code wrote.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

namespace market::auth::testing_util {

// A new directory under ::testing::TempDir(), removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // `name` inside this directory.
  std::string File(std::string_view name) const;

 private:
  std::string path_;
};

// Writes `text` to `path` (replacing it) with permission bits `mode`.
void WriteFile(const std::string& path, std::string_view text, mode_t mode = 0600);
// Appends `text` to `path`.
void AppendToFile(const std::string& path, std::string_view text);
// The content of `path`; fails the test when unreadable.
std::string ReadFile(const std::string& path);
// The permission bits of `path`.
mode_t FileMode(const std::string& path);
bool FileExists(const std::string& path);

}  // namespace market::auth::testing_util
