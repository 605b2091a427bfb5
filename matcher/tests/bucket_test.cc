// Bucket: the priority-ordered entries of one (role, location, seniority).
// Whatever the order of inserts and removes, a walk meets the entries in
// (price, priority) order, and best() is the first one's price; MergeCursor
// walks several buckets as one.
#include <algorithm>
#include <cstdint>
#include <random>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "matcher/internal/order_book.h"

namespace market::matcher::internal {
namespace {

BookEntry Entry(int64_t price, uint64_t priority) {
  BookEntry e{};
  e.price = price;
  e.priority = priority;
  return e;
}

// The bucket's entries as (price, priority) in walk order.
std::vector<std::pair<int64_t, uint64_t>> Walk(const Bucket& b) {
  std::vector<std::pair<int64_t, uint64_t>> out;
  for (const BookEntry& e : b.entries()) out.emplace_back(e.price, e.priority);
  return out;
}

TEST(Bucket, EmptyHasNoBestPrice) {
  Bucket b;
  EXPECT_EQ(b.best(), Bucket::kEmpty);
  EXPECT_EQ(b.size(), 0u);
}

TEST(Bucket, ManyInsertsAndRemovesKeepPriorityOrder) {
  std::mt19937_64 rng(7);
  Bucket b;
  std::set<std::pair<int64_t, uint64_t>> model;
  for (uint64_t priority = 1; priority <= 5000; ++priority) {
    const auto price = static_cast<int64_t>(rng() % 200);
    b.Insert(Entry(price, priority));
    model.emplace(price, priority);
    if (rng() % 3 == 0) {  // remove a random entry that is there
      auto it = model.begin();
      std::advance(it, static_cast<long>(rng() % model.size()));
      b.Remove(Entry(it->first, it->second));
      model.erase(it);
    }
  }
  const std::vector<std::pair<int64_t, uint64_t>> expected(model.begin(), model.end());
  EXPECT_EQ(Walk(b), expected);
  EXPECT_EQ(b.best(), expected.front().first);
  EXPECT_EQ(b.size(), expected.size());

  for (const auto& [price, priority] : expected) b.Remove(Entry(price, priority));
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.best(), Bucket::kEmpty);
}

TEST(Bucket, InsertingAnEntryTwiceKeepsOne) {
  Bucket b;
  b.Insert(Entry(10, 1));
  b.Insert(Entry(10, 1));
  EXPECT_EQ(b.size(), 1u);
}

TEST(Bucket, RemovingAnAbsentEntryChangesNothing) {
  Bucket b;
  b.Insert(Entry(10, 1));
  b.Remove(Entry(10, 2));
  b.Remove(Entry(11, 1));
  EXPECT_EQ(Walk(b), (std::vector<std::pair<int64_t, uint64_t>>{{10, 1}}));
}

TEST(MergeCursor, WalksSeveralBucketsInOneOrderWithoutDuplicates) {
  // Two buckets of one location by seniority, sharing every third order (an
  // order listed under two locations appears in two buckets).
  Bucket five[kMaxSeniority];
  std::set<std::pair<int64_t, uint64_t>> all;
  for (uint64_t priority = 1; priority <= 600; ++priority) {
    const auto price = static_cast<int64_t>((priority * 37) % 101);
    const BookEntry e = Entry(price, priority);
    if (priority % 2 == 0 || priority % 3 == 0) five[0].Insert(e);
    if (priority % 2 == 1 || priority % 3 == 0) five[1].Insert(e);
    all.emplace(price, priority);
  }
  MergeCursor cursor;
  cursor.Add(five, 1, 2, 200);  // both best prices are 0, within 200
  std::vector<std::pair<int64_t, uint64_t>> walked;
  cursor.Walk(
      200, [](const BookEntry&) { return true; },
      [&](const BookEntry& e) {
        walked.emplace_back(e.price, e.priority);
        return true;
      });
  const std::vector<std::pair<int64_t, uint64_t>> expected(all.begin(), all.end());
  EXPECT_EQ(walked, expected);
}

// Many buckets (more than the cursor scans linearly), a filter and a price
// limit: the walk meets exactly the accepted entries up to the limit, in
// order, and stops when told to.
TEST(MergeCursor, WalkSkipsRejectedEntriesStopsAtTheLimitAndWhenTold) {
  Bucket books[4][kMaxSeniority];
  std::set<std::pair<int64_t, uint64_t>> accepted;
  for (uint64_t priority = 1; priority <= 2000; ++priority) {
    const auto price = static_cast<int64_t>((priority * 7919) % 500);
    BookEntry e = Entry(price, priority);
    e.tags = static_cast<uint32_t>(priority % 3);  // accepted: tags == 0
    books[priority % 4][priority % kMaxSeniority].Insert(e);
    if (e.tags == 0 && price <= 300) accepted.emplace(price, priority);
  }
  auto walk = [&](size_t stop_after) {
    MergeCursor cursor;
    for (auto& five : books) cursor.Add(five, 1, kMaxSeniority, 300);
    std::vector<std::pair<int64_t, uint64_t>> walked;
    cursor.Walk(
        300, [](const BookEntry& e) { return e.tags == 0; },
        [&](const BookEntry& e) {
          walked.emplace_back(e.price, e.priority);
          return walked.size() < stop_after;
        });
    return walked;
  };
  const std::vector<std::pair<int64_t, uint64_t>> expected(accepted.begin(), accepted.end());
  EXPECT_EQ(walk(SIZE_MAX), expected);
  const std::vector<std::pair<int64_t, uint64_t>> first_ten(expected.begin(),
                                                            expected.begin() + 10);
  EXPECT_EQ(walk(10), first_ten);
}

}  // namespace
}  // namespace market::matcher::internal
