// CapIndex: every contract's card caps by (contract, role, seniority,
// country), in one open-addressing table.
#include "matcher/internal/cap_index.h"

#include <array>
#include <cstdint>
#include <map>
#include <random>
#include <tuple>

#include <gtest/gtest.h>

namespace market::matcher::internal {
namespace {

TEST(CapIndex, AKeyWithoutACapHasNoLimit) {
  CapIndex caps;
  EXPECT_EQ(caps.Cap(0, 1, 1, 2), INT64_MAX);
  caps.Set(0, 1, 1, 2, 9000);
  EXPECT_EQ(caps.Cap(0, 1, 2, 2), INT64_MAX);  // another seniority
  EXPECT_EQ(caps.Cap(1, 1, 1, 2), INT64_MAX);  // another contract
  EXPECT_EQ(caps.Cap(0, 2, 1, 2), INT64_MAX);  // another role
  EXPECT_EQ(caps.Cap(0, 1, 1, 3), INT64_MAX);  // another country
}

TEST(CapIndex, TheFiveSenioritiesOfAPlaceShareOneSlot) {
  CapIndex caps;
  for (int32_t s = 1; s <= 5; ++s) caps.Set(7, 3, s, 4, 1000 * s);
  for (int32_t s = 1; s <= 5; ++s) EXPECT_EQ(caps.Cap(7, 3, s, 4), 1000 * s);
  EXPECT_EQ(caps.size(), 1u);
}

TEST(CapIndex, SettingACapAgainReplacesIt) {
  CapIndex caps;
  caps.Set(0, 1, 3, 2, 9000);
  caps.Set(0, 1, 3, 2, 8000);
  EXPECT_EQ(caps.Cap(0, 1, 3, 2), 8000);
}

TEST(CapIndex, ASeniorityOutsideOneToFiveIsNeverCapped) {
  CapIndex caps;
  caps.Set(0, 1, 0, 2, 9000);
  caps.Set(0, 1, 6, 2, 9000);
  EXPECT_EQ(caps.size(), 0u);
  EXPECT_EQ(caps.Cap(0, 1, 0, 2), INT64_MAX);
  EXPECT_EQ(caps.Cap(0, 1, 6, 2), INT64_MAX);
}

TEST(CapIndex, EraseRemovesEveryCapOfThePlaceAndNothingElse) {
  CapIndex caps;
  caps.Set(0, 1, 1, 2, 9000);
  caps.Set(0, 1, 4, 2, 9500);
  caps.Set(0, 1, 1, 3, 7000);
  caps.Erase(0, 1, 2);
  EXPECT_EQ(caps.Cap(0, 1, 1, 2), INT64_MAX);
  EXPECT_EQ(caps.Cap(0, 1, 4, 2), INT64_MAX);
  EXPECT_EQ(caps.Cap(0, 1, 1, 3), 7000);
  EXPECT_EQ(caps.size(), 1u);
  caps.Erase(0, 1, 2);  // erasing what is not there changes nothing
  EXPECT_EQ(caps.size(), 1u);
}

// Many keys in a small table make long probe runs, so erasing from the
// middle of a run must keep every later key of the run reachable.
TEST(CapIndex, AgreesWithAMapOverRandomSetsAndErases) {
  CapIndex caps;
  std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::array<int32_t, 5>> model;
  std::mt19937_64 rng(42);
  for (int step = 0; step < 200'000; ++step) {
    const auto contract = static_cast<uint32_t>(rng() % 40);
    const auto role = static_cast<uint32_t>(rng() % 30);
    const auto country = static_cast<uint32_t>(rng() % 20);
    if (rng() % 3 == 0) {
      caps.Erase(contract, role, country);
      model.erase({contract, role, country});
    } else {
      const auto seniority = static_cast<int32_t>(rng() % 5 + 1);
      const auto cap = static_cast<int32_t>(rng() % 100'000 + 1);
      caps.Set(contract, role, seniority, country, cap);
      model[{contract, role, country}][seniority - 1] = cap;
    }
  }
  ASSERT_EQ(caps.size(), model.size());
  for (uint32_t contract = 0; contract < 40; ++contract) {
    for (uint32_t role = 0; role < 30; ++role) {
      for (uint32_t country = 0; country < 20; ++country) {
        auto it = model.find({contract, role, country});
        for (int32_t s = 1; s <= 5; ++s) {
          const int32_t want = it == model.end() ? 0 : it->second[s - 1];
          ASSERT_EQ(caps.Cap(contract, role, s, country), want == 0 ? INT64_MAX : want)
              << contract << " " << role << " " << s << " " << country;
        }
      }
    }
  }
}

}  // namespace
}  // namespace market::matcher::internal
