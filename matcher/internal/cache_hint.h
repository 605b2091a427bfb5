// LoadHint: start loading a cache line that will be read soon.
//
// Written as a volatile asm on x86-64 rather than __builtin_prefetch: in our
// -O3 build GCC 12 silently dropped some __builtin_prefetch calls (a loop
// over a bucket's entries, and all of absl's raw_hash_set::prefetch), seen
// only in the disassembly; a volatile asm is always kept. Elsewhere it falls
// back to the builtin. A hint: it never faults and changes nothing.
#pragma once

namespace market::matcher::internal {

inline void LoadHint(const void* p) {
#if defined(__x86_64__)
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace market::matcher::internal
