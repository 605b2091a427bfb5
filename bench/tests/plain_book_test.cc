// PlainBook, the yardstick engine_bench times beside the engine: a plain
// price/time limit order book. Its orders are observed through fills() and
// resting(); cancelling an order that no longer rests changes nothing.
#include "bench/plain_book.h"

#include <gtest/gtest.h>

namespace market::bench {
namespace {

PlainCommand Buy(uint64_t id, int64_t price, int64_t quantity, bool ioc = false) {
  return PlainCommand::Order(true, 0, id, price, quantity, ioc);
}
PlainCommand Sell(uint64_t id, int64_t price, int64_t quantity) {
  return PlainCommand::Order(false, 0, id, price, quantity, false);
}
PlainCommand Cancel(uint64_t id) { return PlainCommand::Cancel(id); }
PlainCommand Amend(uint64_t id, int64_t price, int64_t quantity) {
  return PlainCommand::Amend(id, price, quantity);
}

TEST(PlainBook, ABuyTakesTheCheapestAskFirst) {
  PlainBook book;
  book.Execute(Sell(1, 110, 5));
  book.Execute(Sell(2, 100, 5));
  book.Execute(Buy(3, 110, 5));
  EXPECT_EQ(book.fills(), 1u);
  book.Execute(Cancel(1));  // still resting: the fill took order 2
  EXPECT_EQ(book.resting(), 0u);
}

TEST(PlainBook, OrdersAtOnePriceFillInArrivalOrder) {
  PlainBook book;
  book.Execute(Sell(1, 100, 5));
  book.Execute(Sell(2, 100, 5));
  book.Execute(Buy(3, 100, 5));
  book.Execute(Cancel(2));  // the fill took order 1
  EXPECT_EQ(book.resting(), 0u);
}

TEST(PlainBook, ABuyBelowTheBestAskRests) {
  PlainBook book;
  book.Execute(Sell(1, 100, 5));
  book.Execute(Buy(2, 99, 5));
  EXPECT_EQ(book.fills(), 0u);
  EXPECT_EQ(book.resting(), 2u);
}

TEST(PlainBook, ARemainderRestsUnlessImmediateOrCancel) {
  PlainBook book;
  book.Execute(Sell(1, 100, 5));
  book.Execute(Buy(2, 100, 8, /*ioc=*/true));
  EXPECT_EQ(book.fills(), 1u);
  EXPECT_EQ(book.resting(), 0u);
  book.Execute(Sell(3, 100, 5));
  book.Execute(Buy(4, 100, 8));
  EXPECT_EQ(book.resting(), 1u);
}

TEST(PlainBook, BooksDoNotCross) {
  PlainBook book;
  book.Execute(PlainCommand::Order(false, 0, 1, 100, 5, false));
  book.Execute(PlainCommand::Order(true, 1, 2, 100, 5, false));
  EXPECT_EQ(book.fills(), 0u);
}

TEST(PlainBook, APureDecreaseKeepsItsPlace) {
  PlainBook book;
  book.Execute(Sell(1, 100, 5));
  book.Execute(Sell(2, 100, 5));
  book.Execute(Amend(1, 0, 3));
  book.Execute(Buy(3, 100, 3));
  book.Execute(Cancel(2));  // order 1 kept its place and took the fill
  EXPECT_EQ(book.resting(), 0u);
}

TEST(PlainBook, AnIncreaseQueuesAnew) {
  PlainBook book;
  book.Execute(Sell(1, 100, 5));
  book.Execute(Sell(2, 100, 5));
  book.Execute(Amend(1, 0, 6));
  book.Execute(Buy(3, 100, 5));
  book.Execute(Cancel(1));  // order 2 came first after the increase
  EXPECT_EQ(book.resting(), 0u);
}

TEST(PlainBook, ANewPriceCanCross) {
  PlainBook book;
  book.Execute(Sell(1, 100, 5));
  book.Execute(Buy(2, 90, 5));
  book.Execute(Amend(2, 100, 0));
  EXPECT_EQ(book.fills(), 1u);
  EXPECT_EQ(book.resting(), 0u);
}

}  // namespace
}  // namespace market::bench
