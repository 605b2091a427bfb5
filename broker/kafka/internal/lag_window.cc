#include "broker/kafka/internal/lag_window.h"

#include <algorithm>
#include <cmath>

namespace market::kafka::internal {

int64_t LagWindow::Percentile(double percent) const {
  if (samples_.empty()) return 0;
  std::vector<int64_t> sorted = samples_;
  const double rank = std::ceil(percent / 100.0 * static_cast<double>(sorted.size()));
  const size_t index =
      std::clamp<size_t>(rank < 1.0 ? 0 : static_cast<size_t>(rank) - 1, 0, sorted.size() - 1);
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(index),
                   sorted.end());
  return sorted[index];
}

}  // namespace market::kafka::internal
