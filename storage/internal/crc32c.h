// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum every
// journal record carries in front of its bytes. A plain table-driven
// implementation: journal records are checked once per write and once per
// read, far from the matcher's hot path, so portability beats SSE4.2.
#pragma once

#include <cstdint>
#include <string_view>

namespace market::storage::internal {

// The CRC-32C of `data`; Crc32c("123456789") == 0xE3069283.
[[nodiscard]] uint32_t Crc32c(std::string_view data);

// Continues `crc` (a previous Crc32c result) over `data`:
// Crc32cExtend(Crc32c(a), b) == Crc32c(a + b).
[[nodiscard]] uint32_t Crc32cExtend(uint32_t crc, std::string_view data);

}  // namespace market::storage::internal
