// ReserveHeap: takes the page faults of a thread's future allocations now.
//
// A process that grows its heap pays a page fault for every new page it
// touches; with transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
// that is one fault per 2 MB that clears the whole page, a pause of 0.1-1 ms
// in the middle of whatever command allocated. ReserveHeap allocates and
// touches `bytes` in the calling thread's malloc arena, then frees them with
// glibc told to keep freed memory, so that later allocations of that thread
// (up to about `bytes` in all, each below 32 MB) reuse pages already
// mapped. The reserve is never given back to the system; it counts in the
// resident set from then on.
//
// It sets process-wide malloc parameters (M_TRIM_THRESHOLD, M_TOP_PAD,
// M_MMAP_THRESHOLD: allocations up to 32 MB come from the arenas, which
// grow 64 MB at a time), so from then on every thread's freed memory stays
// in the process: the resident size keeps its peak. Needs glibc's malloc:
// under a sanitizer or another C library it changes nothing and returns
// UNIMPLEMENTED.
#pragma once

#include <cstddef>

#include "absl/status/status.h"

namespace market::platform {

absl::Status ReserveHeap(size_t bytes);

}  // namespace market::platform
