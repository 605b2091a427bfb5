// PlainBook: a plain one-dimensional limit order book, the yardstick that
// engine_bench times beside the engine ("the speed of a plain
// one-dimensional limit order book", issue 2; docs/BENCHMARKS.md).
//
// One book per instrument (engine_bench uses one per role; a book exists
// once a command names it), price/time
// priority, integer prices and quantities; buys and sells, immediate-or-
// cancel, cancel, and amend (a pure decrease keeps priority). None of the
// market's other rules: no locations, seniority, dates, contracts, caps,
// slices or blend limits. Price levels in a std::map, orders of a level in
// arrival order, an id index for cancels: the textbook layout.
//
// Invariant: an order id is in the index exactly while the order rests.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace market::bench {

struct PlainCommand {
  enum class Kind : uint8_t { kNone, kBuy, kSell, kCancel, kAmend };
  Kind kind = Kind::kNone;
  bool ioc = false;
  uint32_t book = 0;
  uint64_t id = 0;       // the new order's id, or the order cancelled or amended
  int64_t price = 0;     // amend: 0 = unchanged
  int64_t quantity = 0;  // amend: the new remaining; 0 = unchanged

  static PlainCommand Order(bool buy, uint32_t book, uint64_t id, int64_t price, int64_t quantity,
                            bool ioc) {
    return {buy ? Kind::kBuy : Kind::kSell, ioc, book, id, price, quantity};
  }
  static PlainCommand Cancel(uint64_t id) { return {Kind::kCancel, false, 0, id, 0, 0}; }
  static PlainCommand Amend(uint64_t id, int64_t price, int64_t quantity) {
    return {Kind::kAmend, false, 0, id, price, quantity};
  }
};

class PlainBook {
 public:
  void Execute(const PlainCommand& c);
  uint64_t fills() const { return fills_; }
  size_t resting() const { return where_.size(); }

 private:
  struct Resting {
    uint64_t id;
    int64_t quantity;
  };
  using Level = std::deque<Resting>;
  struct Side {
    std::map<int64_t, Level> levels;  // by price key: the best first
  };
  struct Book {
    Side bids;  // keyed by -price
    Side asks;  // keyed by price
  };
  struct Where {
    uint32_t book;
    bool buy;
    int64_t price;
  };

  // Matches a new order against the other side, then rests what is left
  // unless it is immediate-or-cancel.
  void Add(uint32_t book, bool buy, uint64_t id, int64_t price, int64_t quantity, bool ioc);
  // Takes a resting order out; its remaining, or 0 when it is not resting.
  int64_t Remove(uint64_t id);
  Side& SideOf(const Where& w) { return w.buy ? books_[w.book].bids : books_[w.book].asks; }
  // A resting order in its level (sets *level).
  Level::iterator Find(const Where& w, uint64_t id, std::map<int64_t, Level>::iterator* level);

  std::vector<Book> books_;
  absl::flat_hash_map<uint64_t, Where> where_;
  uint64_t fills_ = 0;
};

}  // namespace market::bench
