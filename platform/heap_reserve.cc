#include "platform/heap_reserve.h"

#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

// glibc's malloc, unless a sanitizer replaces it.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define MARKET_GLIBC_MALLOC 1
#include <malloc.h>
#endif

namespace market::platform {

absl::Status ReserveHeap(size_t bytes) {
  if (bytes == 0) return absl::OkStatus();
#if defined(MARKET_GLIBC_MALLOC)
  // Small blocks, far below the mmap threshold: they come from the arena
  // and fill a thread arena's 64 MB heaps to the end, so that no part of
  // a heap is left untouched between blocks.
  constexpr size_t kBlock = size_t{1} << 20;
  constexpr int kMmapThreshold = 32 << 20;  // glibc's largest on 64-bit
  constexpr int kThreadHeapBytes = 64 << 20;
  // Keep what is freed: no trimming of the top of the heap, and no
  // unmapping of a thread arena's emptied heaps (glibc keeps a heap while
  // the pad it must preserve is at least a heap's size).
  if (mallopt(M_MMAP_THRESHOLD, kMmapThreshold) != 1 || mallopt(M_TRIM_THRESHOLD, INT_MAX) != 1 ||
      mallopt(M_TOP_PAD, kThreadHeapBytes) != 1) {
    return absl::InternalError("mallopt refused the heap reserve's parameters");
  }
  std::vector<void*> blocks;
  blocks.reserve(bytes / kBlock + 1);
  for (size_t done = 0; done < bytes; done += kBlock) {
    auto* block = static_cast<volatile char*>(std::malloc(kBlock));
    if (block == nullptr) {
      for (void* b : blocks) std::free(b);
      return absl::ResourceExhaustedError("heap reserve: out of memory after " +
                                          std::to_string(done >> 20) + " MB");
    }
    for (size_t at = 0; at < kBlock; at += 4096) block[at] = 0;
    blocks.push_back(const_cast<char*>(block));
  }
  for (auto it = blocks.rbegin(); it != blocks.rend(); ++it) std::free(*it);
  return absl::OkStatus();
#else
  return absl::UnimplementedError("heap reserve needs glibc's malloc (not under a sanitizer)");
#endif
}

}  // namespace market::platform
