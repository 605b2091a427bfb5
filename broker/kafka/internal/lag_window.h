// LagWindow: the publish lag of the most recent deliveries, for percentiles.
//
// A ring of the last `capacity` samples (microseconds); older samples are
// overwritten. Percentiles sort a copy, so reading costs O(capacity log
// capacity) and is meant for stats calls, not for every delivery.
//
// Not thread-safe: the publisher guards it with its stats mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace market::kafka::internal {

class LagWindow {
 public:
  explicit LagWindow(size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  void Add(int64_t lag_us) {
    if (samples_.size() < capacity_) {
      samples_.push_back(lag_us);
    } else {
      samples_[next_] = lag_us;
    }
    next_ = (next_ + 1) % capacity_;
  }

  size_t size() const { return samples_.size(); }

  // The `percent`-th percentile (nearest rank) of the window; 0 when empty.
  int64_t Percentile(double percent) const;

 private:
  size_t capacity_;
  size_t next_ = 0;
  std::vector<int64_t> samples_;
};

}  // namespace market::kafka::internal
