// Interner: maps short strings (codes, ids, tags) to dense 32-bit ids.
//
// Every command looks up several codes, so the common case is made cheap: a
// key of at most 16 bytes is compared as two 64-bit words and a length in an
// open-addressing table, with no call to hash or compare bytes. Longer keys
// (up to the 128 bytes validation allows) go to a general hash map.
//
// Invariants: ids are 0, 1, 2... in order of first Intern; an id is never
// reused and its string never moves (Get's views stay valid).
#pragma once

#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "matcher/internal/cache_hint.h"

namespace market::matcher::internal {

class Interner {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  // The id of s, or kAbsent.
  uint32_t Find(std::string_view s) const {
    if (s.size() > kShortBytes) return FindLong(s);
    const Key k = KeyOf(s);
    if (slots_.empty()) return kAbsent;
    for (size_t i = k.hash & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (slot.id == kAbsent) return kAbsent;
      if (slot.w0 == k.w0 && slot.w1 == k.w1 && slot.size == s.size()) return slot.id;
    }
  }
  // Starts loading the slot where Find(s) begins (a hint; no effect).
  void Prefetch(std::string_view s) const {
    if (s.size() <= kShortBytes && !slots_.empty()) {
      LoadHint(&slots_[KeyOf(s).hash & mask_]);
    }
  }
  // The id of s, assigning the next one when s is new.
  uint32_t Intern(std::string_view s);
  std::string_view Get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  static constexpr size_t kShortBytes = 16;
  // A short key: its bytes as two little-endian words, zero-padded, and a
  // hash of them and the length.
  struct Key {
    uint64_t w0;
    uint64_t w1;
    uint64_t hash;
  };
  struct Slot {
    uint64_t w0 = 0;
    uint64_t w1 = 0;
    uint32_t size = 0;
    uint32_t id = kAbsent;  // kAbsent: an empty slot
  };

  static uint64_t Load(const char* p, size_t n) {  // n <= 8 bytes, zero-padded
    uint64_t w = 0;
    if (n >= 4) {
      uint32_t lo;
      uint32_t hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      w = lo | (uint64_t{hi} << (8 * (n - 4)));  // the overlap holds equal bytes
    } else if (n > 0) {
      w = uint64_t{static_cast<uint8_t>(p[0])} |
          (uint64_t{static_cast<uint8_t>(p[n / 2])} << (8 * (n / 2))) |
          (uint64_t{static_cast<uint8_t>(p[n - 1])} << (8 * (n - 1)));
    }
    return w;
  }
  static Key KeyOf(std::string_view s) {
    const size_t n = s.size();
    const char* p = s.data();
    Key k{};
    if (n > 8) {
      std::memcpy(&k.w0, p, 8);
      k.w1 = Load(p + 8, n - 8);
    } else {
      k.w0 = Load(p, n);
    }
    uint64_t h = (k.w0 ^ (n * 0x9E3779B97F4A7C15ULL)) * 0xBF58476D1CE4E5B9ULL;
    h ^= (k.w1 + (h >> 29)) * 0x94D049BB133111EBULL;
    k.hash = h ^ (h >> 31);
    return k;
  }
  uint32_t FindLong(std::string_view s) const;
  void Grow();

  std::vector<Slot> slots_;  // power-of-two size, at most half full
  size_t mask_ = 0;
  absl::flat_hash_map<std::string, uint32_t> long_ids_;
  std::deque<std::string> strings_;
};

}  // namespace market::matcher::internal
