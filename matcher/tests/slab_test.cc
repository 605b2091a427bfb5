// Slab: records in fixed chunks that never move while the slab grows.
#include <cstddef>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "matcher/internal/slab.h"

namespace market::matcher::internal {
namespace {

TEST(Slab, PushBackReturnsConsecutiveIndexes) {
  Slab<std::string> slab;
  EXPECT_EQ(slab.push_back("a"), 0u);
  EXPECT_EQ(slab.push_back("b"), 1u);
  EXPECT_EQ(slab.size(), 2u);
  EXPECT_EQ(slab[0], "a");
  EXPECT_EQ(slab[1], "b");
}

TEST(Slab, RecordsKeepTheirAddressWhileTheSlabGrowsOverManyChunks) {
  Slab<std::string> slab;
  slab.push_back("first record, longer than the small-string buffer");
  const std::string* first = &slab[0];
  for (int i = 1; i < 20000; ++i) slab.push_back(std::to_string(i));
  EXPECT_EQ(&slab[0], first);
  EXPECT_EQ(slab[0], "first record, longer than the small-string buffer");
  EXPECT_EQ(slab[19999], "19999");
}

TEST(Slab, DestroysEveryRecordItHolds) {
  auto counter = std::make_shared<int>(0);
  {
    Slab<std::shared_ptr<int>> slab;
    for (int i = 0; i < 5000; ++i) slab.push_back(std::shared_ptr<int>(counter));
    EXPECT_EQ(counter.use_count(), 5001);
  }
  EXPECT_EQ(counter.use_count(), 1);
}

}  // namespace
}  // namespace market::matcher::internal
