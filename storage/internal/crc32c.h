// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum every
// journal record carries in front of its bytes. Every record is checked once
// per write and once per read, and loading the current state checks a few
// hundred MB of them, so x86-64 CPUs with SSE4.2 use its crc32 instruction
// (chosen at run time); elsewhere a plain table-driven loop gives the same
// values.
#pragma once

#include <cstdint>
#include <string_view>

namespace market::storage::internal {

// The CRC-32C of `data`; Crc32c("123456789") == 0xE3069283.
[[nodiscard]] uint32_t Crc32c(std::string_view data);

// Continues `crc` (a previous Crc32c result) over `data`:
// Crc32cExtend(Crc32c(a), b) == Crc32c(a + b).
[[nodiscard]] uint32_t Crc32cExtend(uint32_t crc, std::string_view data);

// The table-driven loop alone (what Crc32cExtend runs without SSE4.2), so
// tests can compare the two.
[[nodiscard]] uint32_t Crc32cExtendPortable(uint32_t crc, std::string_view data);

}  // namespace market::storage::internal
