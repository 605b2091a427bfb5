#include "storage/internal/crc32c.h"

#include <gtest/gtest.h>

#include <string>

namespace market::storage::internal {
namespace {

std::string Bytes(int count, auto byte_at) {
  std::string bytes;
  for (int i = 0; i < count; ++i) bytes.push_back(static_cast<char>(byte_at(i)));
  return bytes;
}

// Check values from RFC 3720 (iSCSI), appendix B.4, and the classic check string.
TEST(Crc32c, MatchesKnownVectors) {
  struct Vector {
    std::string input;
    uint32_t crc;
  };
  const Vector vectors[] = {
      {"", 0x00000000u},
      {"123456789", 0xE3069283u},
      {"a", 0xC1D04330u},
      {std::string(32, '\0'), 0x8A9136AAu},
      {std::string(32, '\xFF'), 0x62A8AB43u},
      {Bytes(32, [](int i) { return i; }), 0x46DD794Eu},
      {Bytes(32, [](int i) { return 31 - i; }), 0x113FDB5Cu},
  };
  for (const Vector& v : vectors) {
    EXPECT_EQ(Crc32c(v.input), v.crc) << "input of " << v.input.size() << " bytes";
  }
}

TEST(Crc32c, ExtendEqualsOneShot) {
  const std::string whole = "the journal is the source of truth";
  for (size_t split = 0; split <= whole.size(); ++split) {
    const std::string_view view(whole);
    EXPECT_EQ(Crc32cExtend(Crc32c(view.substr(0, split)), view.substr(split)), Crc32c(whole))
        << "split at " << split;
  }
}

// Whichever Crc32cExtend uses (hardware or table), it agrees with the table
// on every length and alignment.
TEST(Crc32c, HardwareAndTableAgree) {
  std::string bytes;
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 1100; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    bytes.push_back(static_cast<char>(x >> 56));
  }
  const std::string_view view(bytes);
  for (size_t offset = 0; offset < 9; ++offset) {
    for (size_t size = 0; size + offset <= view.size(); size += 1 + size / 3) {
      const std::string_view part = view.substr(offset, size);
      EXPECT_EQ(Crc32cExtend(0x12345678u, part), Crc32cExtendPortable(0x12345678u, part))
          << "offset " << offset << " size " << size;
    }
  }
  EXPECT_EQ(Crc32cExtendPortable(0, "123456789"), 0xE3069283u);
}

}  // namespace
}  // namespace market::storage::internal
