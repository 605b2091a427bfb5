// Slab: a growable array of records in fixed-size chunks.
//
// Elements never move, so growing never copies the records already there (a
// vector of 100,000 order records would pause one command for milliseconds
// each time it doubled) and references stay valid. A chunk is allocated
// without touching it, so its pages fault in one record at a time as the
// array grows, not all at once.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace market::matcher::internal {

template <typename T>
class Slab {
 public:
  Slab() = default;
  Slab(const Slab&) = delete;
  Slab& operator=(const Slab&) = delete;
  ~Slab() {
    for (size_t i = 0; i < size_; ++i) (*this)[i].~T();
  }

  T& operator[](size_t i) { return chunks_[i >> kShift].get()[i & kMask]; }
  const T& operator[](size_t i) const { return chunks_[i >> kShift].get()[i & kMask]; }
  size_t size() const { return size_; }

  // Appends a record; returns its index.
  size_t push_back(T&& value) {
    if ((size_ >> kShift) == chunks_.size()) {
      chunks_.emplace_back(static_cast<T*>(::operator new(kChunk * sizeof(T), kAlign)));
    }
    new (&(*this)[size_]) T(std::move(value));
    return size_++;
  }

 private:
  static constexpr size_t kShift = 12;  // 4,096 records a chunk
  static constexpr size_t kChunk = size_t{1} << kShift;
  static constexpr size_t kMask = kChunk - 1;
  static constexpr std::align_val_t kAlign{alignof(T) > 64 ? alignof(T) : 64};
  struct Free {
    void operator()(T* p) const { ::operator delete(p, kAlign); }
  };
  std::vector<std::unique_ptr<T, Free>> chunks_;
  size_t size_ = 0;
};

}  // namespace market::matcher::internal
