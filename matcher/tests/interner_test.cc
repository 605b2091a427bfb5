// Interner: dense, stable ids for strings of every length validation allows.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "matcher/internal/interner.h"

namespace market::matcher::internal {
namespace {

TEST(Interner, GivesIdsInOrderOfFirstIntern) {
  Interner in;
  EXPECT_EQ(in.Intern("CRA"), 0u);
  EXPECT_EQ(in.Intern("CTA"), 1u);
  EXPECT_EQ(in.Intern("CRA"), 0u);
  EXPECT_EQ(in.size(), 2u);
  EXPECT_EQ(in.Get(1), "CTA");
}

TEST(Interner, FindsNothingForAStringNeverInterned) {
  Interner in;
  EXPECT_EQ(in.Find("CRA"), Interner::kAbsent);
  in.Intern("CRA");
  EXPECT_EQ(in.Find("CTA"), Interner::kAbsent);
  EXPECT_EQ(in.Find(""), Interner::kAbsent);
}

TEST(Interner, TellsApartKeysOfEveryLengthUpTo130Bytes) {
  Interner in;
  std::vector<std::string> keys;
  for (size_t n = 0; n <= 130; ++n) {
    std::string k(n, 'x');
    if (n > 0) k[n / 2] = static_cast<char>('a' + n % 26);
    keys.push_back(k);
  }
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(in.Intern(keys[i]), i);
  for (size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(in.Find(keys[i]), i) << "length " << keys[i].size();
    EXPECT_EQ(in.Get(static_cast<uint32_t>(i)), keys[i]);
  }
}

TEST(Interner, TellsApartKeysThatDifferOnlyByTrailingZeroBytes) {
  Interner in;
  const std::string a("A");
  const std::string a0("A\0", 2);
  const std::string a00("A\0\0\0\0\0\0\0\0", 9);
  EXPECT_EQ(in.Intern(a), 0u);
  EXPECT_EQ(in.Intern(a0), 1u);
  EXPECT_EQ(in.Intern(a00), 2u);
  EXPECT_EQ(in.Find(a0), 1u);
  EXPECT_EQ(in.Find(std::string("A\0\0", 3)), Interner::kAbsent);
}

TEST(Interner, KeepsEveryIdAcrossTableGrowth) {
  Interner in;
  for (int i = 0; i < 10000; ++i) ASSERT_EQ(in.Intern("T" + std::to_string(i)), uint32_t(i));
  for (int i = 0; i < 10000; ++i) EXPECT_EQ(in.Find("T" + std::to_string(i)), uint32_t(i));
  const std::string_view first = in.Get(0);
  in.Intern("one more");
  EXPECT_EQ(in.Get(0).data(), first.data());
}

}  // namespace
}  // namespace market::matcher::internal
