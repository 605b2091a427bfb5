// ReserveHeap: allocations after a reserve take no page faults.
#include "platform/heap_reserve.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdlib>
#include <thread>
#include <vector>

namespace market::platform {
namespace {

// Minor page faults of the calling thread so far.
long ThreadFaults() {
  rusage usage{};
  getrusage(RUSAGE_THREAD, &usage);
  return usage.ru_minflt;
}

// Faults taken while allocating `total` bytes in 1 MB blocks, touching
// every page, and freeing them again.
long FaultsToAllocate(size_t total) {
  const long before = ThreadFaults();
  std::vector<volatile char*> blocks;
  for (size_t done = 0; done < total; done += size_t{1} << 20) {
    auto* block = static_cast<volatile char*>(std::malloc(size_t{1} << 20));
    for (size_t at = 0; at < (size_t{1} << 20); at += 4096) block[at] = 1;
    blocks.push_back(block);
  }
  const long faults = ThreadFaults() - before;
  for (volatile char* b : blocks) std::free(const_cast<char*>(b));
  return faults;
}

// Reserves `bytes`, or skips the test where the reserve does not apply.
#define RESERVE_OR_SKIP(bytes)                                                         \
  do {                                                                                 \
    const absl::Status reserved = ReserveHeap(bytes);                                  \
    if (reserved.code() == absl::StatusCode::kUnimplemented) GTEST_SKIP() << reserved; \
    ASSERT_TRUE(reserved.ok()) << reserved;                                            \
  } while (false)

TEST(HeapReserve, ZeroBytesIsANoOp) { EXPECT_TRUE(ReserveHeap(0).ok()); }

TEST(HeapReserve, AllocationsWithinTheReserveTakeNoPageFaults) {
  RESERVE_OR_SKIP(size_t{64} << 20);
  // 32 MB on 4 KB pages would be 8,192 faults.
  EXPECT_LT(FaultsToAllocate(size_t{32} << 20), 64);
}

// A thread other than main allocates from its own arena, made of 64 MB
// heaps: the reserve spans several of them.
TEST(HeapReserve, WorksOnTheThreadThatMadeIt) {
  absl::Status reserved;
  long faults = -1;
  std::thread engine([&] {
    reserved = ReserveHeap(size_t{160} << 20);
    if (reserved.ok()) faults = FaultsToAllocate(size_t{128} << 20);
  });
  engine.join();
  if (reserved.code() == absl::StatusCode::kUnimplemented) GTEST_SKIP() << reserved;
  ASSERT_TRUE(reserved.ok()) << reserved;
  EXPECT_GE(faults, 0);
  EXPECT_LT(faults, 64);
}

TEST(HeapReserve, SurvivesBeingFreedAndTakenAgain) {
  RESERVE_OR_SKIP(size_t{64} << 20);
  FaultsToAllocate(size_t{48} << 20);
  EXPECT_LT(FaultsToAllocate(size_t{48} << 20), 64);
}

}  // namespace
}  // namespace market::platform
