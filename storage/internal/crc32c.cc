#include "storage/internal/crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__) && defined(__GNUC__)
#include <nmmintrin.h>
#define MARKET_CRC32C_SSE42 1
#endif

namespace market::storage::internal {
namespace {

constexpr uint32_t kCastagnoliReflected = 0x82F63B78u;

constexpr std::array<uint32_t, 256> MakeTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t byte = 0; byte < 256; ++byte) {
    uint32_t crc = byte;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1u) != 0 ? (crc >> 1) ^ kCastagnoliReflected : crc >> 1;
    }
    table[byte] = crc;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kTable = MakeTable();

#ifdef MARKET_CRC32C_SSE42
// The SSE4.2 crc32 instruction computes the same reflected Castagnoli
// update, 8 bytes at a time; compiled for SSE4.2 only here and called only
// when the CPU has it.
__attribute__((target("sse4.2"))) uint32_t ExtendSse42(uint32_t crc, std::string_view data) {
  const char* p = data.data();
  size_t n = data.size();
  uint64_t state = ~crc;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    state = _mm_crc32_u64(state, word);
  }
  auto state32 = static_cast<uint32_t>(state);
  for (; n > 0; ++p, --n) state32 = _mm_crc32_u8(state32, static_cast<uint8_t>(*p));
  return ~state32;
}

// Decided once, on first use (__builtin_cpu_init first: the first use may
// come from another static initializer).
bool HasSse42() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") != 0;
  }();
  return has;
}
#endif

}  // namespace

uint32_t Crc32cExtendPortable(uint32_t crc, std::string_view data) {
  uint32_t state = ~crc;
  for (const char c : data) {
    state = kTable[(state ^ static_cast<uint8_t>(c)) & 0xFFu] ^ (state >> 8);
  }
  return ~state;
}

uint32_t Crc32cExtend(uint32_t crc, std::string_view data) {
#ifdef MARKET_CRC32C_SSE42
  if (HasSse42()) return ExtendSse42(crc, data);
#endif
  return Crc32cExtendPortable(crc, data);
}

uint32_t Crc32c(std::string_view data) { return Crc32cExtend(0, data); }

}  // namespace market::storage::internal
