#include "bench/plain_book.h"

#include <algorithm>

namespace market::bench {

void PlainBook::Add(uint32_t book, bool buy, uint64_t id, int64_t price, int64_t quantity,
                    bool ioc) {
  Book& b = books_[book];
  Side& other = buy ? b.asks : b.bids;
  // A buy at p crosses asks keyed <= p; a sell at p crosses bids keyed <= -p.
  const int64_t limit = buy ? price : -price;
  while (quantity > 0 && !other.levels.empty() && other.levels.begin()->first <= limit) {
    Level& level = other.levels.begin()->second;
    while (quantity > 0 && !level.empty()) {
      Resting& r = level.front();
      const int64_t q = std::min(quantity, r.quantity);
      quantity -= q;
      r.quantity -= q;
      ++fills_;
      if (r.quantity == 0) {
        where_.erase(r.id);
        level.pop_front();
      }
    }
    if (level.empty()) other.levels.erase(other.levels.begin());
  }
  if (quantity == 0 || ioc) return;
  Side& own = buy ? b.bids : b.asks;
  own.levels[buy ? -price : price].push_back(Resting{id, quantity});
  where_[id] = Where{book, buy, price};
}

PlainBook::Level::iterator PlainBook::Find(const Where& w, uint64_t id,
                                           std::map<int64_t, Level>::iterator* level) {
  *level = SideOf(w).levels.find(w.buy ? -w.price : w.price);
  Level& orders = (*level)->second;
  return std::find_if(orders.begin(), orders.end(), [id](const Resting& r) { return r.id == id; });
}

int64_t PlainBook::Remove(uint64_t id) {
  auto it = where_.find(id);
  if (it == where_.end()) return 0;
  const Where w = it->second;
  where_.erase(it);
  std::map<int64_t, Level>::iterator level;
  const auto at = Find(w, id, &level);
  const int64_t remaining = at->quantity;
  level->second.erase(at);
  if (level->second.empty())
    (w.buy ? books_[w.book].bids : books_[w.book].asks).levels.erase(level);
  return remaining;
}

void PlainBook::Execute(const PlainCommand& c) {
  switch (c.kind) {
    case PlainCommand::Kind::kNone:
      return;
    case PlainCommand::Kind::kBuy:
    case PlainCommand::Kind::kSell:
      if (c.book >= books_.size()) books_.resize(c.book + 1);
      Add(c.book, c.kind == PlainCommand::Kind::kBuy, c.id, c.price, c.quantity, c.ioc);
      return;
    case PlainCommand::Kind::kCancel:
      Remove(c.id);
      return;
    case PlainCommand::Kind::kAmend: {
      auto it = where_.find(c.id);
      if (it == where_.end()) return;
      const Where w = it->second;
      const int64_t price = c.price == 0 ? w.price : c.price;
      if (price == w.price) {
        // A pure decrease (or no change) keeps its place; anything else
        // queues anew.
        std::map<int64_t, Level>::iterator level;
        const auto at = Find(w, c.id, &level);
        if (c.quantity <= at->quantity) {
          if (c.quantity != 0) at->quantity = c.quantity;
          return;
        }
      }
      const int64_t remaining = Remove(c.id);
      Add(w.book, w.buy, c.id, price, c.quantity == 0 ? remaining : c.quantity, false);
      return;
    }
  }
}

}  // namespace market::bench
