#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

namespace vd::detect {

// A segment tree of maxima over positions 0..n-1 with range add: the global maximum with its
// leftmost position, and the first position in a range whose value reaches a bound, each in
// O(log n). Adds are kept at the node they cover (never pushed down): a node's max = max of
// its children + its own add. V is int32_t where the values allow it (the tree is mostly
// what memory a caller spends on it). The arrays are the caller's (Storage), so one set
// serves many trees in turn.
template <typename V>
class MaxAddTree {
 public:
  struct Storage {
    std::vector<V> max, add;
    std::vector<uint32_t> arg;
  };

  // Removed / padding positions: below any value even after every later add (values and
  // adds stay within V's range divided by 4).
  static constexpr V kAbsent = std::numeric_limits<V>::min() / 4;

  template <typename Init>
  MaxAddTree(std::span<const Init> init, Storage* storage)
      : n_(init.size()), max_(storage->max), add_(storage->add), arg_(storage->arg) {
    size_ = 1;
    while (size_ < n_) size_ <<= 1;
    max_.assign(2 * size_, kAbsent);
    add_.assign(2 * size_, 0);
    arg_.resize(2 * size_);
    for (size_t i = 0; i < size_; ++i) {
      arg_[size_ + i] = static_cast<uint32_t>(i);
      if (i < n_) max_[size_ + i] = static_cast<V>(init[i]);
    }
    for (size_t v = size_ - 1; v >= 1; --v) Pull(v);
  }

  // Adds delta to [lo, hi] (inclusive). Bottom-up: the delta lands on the same canonical
  // nodes a top-down walk would choose, then the two boundary paths are recomputed; no
  // recursion.
  void Add(size_t lo, size_t hi, V delta) {
    if (lo > hi) return;
    size_t l = lo + size_, r = hi + size_ + 1;
    const size_t l0 = l, r0 = r - 1;
    while (l < r) {
      if (l & 1) Apply(l++, delta);
      if (r & 1) Apply(--r, delta);
      l >>= 1;
      r >>= 1;
    }
    for (size_t v = l0 >> 1; v >= 1; v >>= 1) Pull(v);
    for (size_t v = r0 >> 1; v >= 1; v >>= 1) Pull(v);
  }
  int64_t Max() const { return max_[1]; }
  size_t ArgMax() const { return arg_[1]; }

  // The first position in [lo, hi) whose value is >= x; hi when there is none.
  size_t FirstAtLeast(size_t lo, size_t hi, V x) const {
    size_t r = FirstAtLeast(1, 0, size_, 0, lo, hi, x);
    return r == SIZE_MAX ? hi : r;
  }

 private:
  void Pull(size_t v) {
    size_t l = 2 * v, r = 2 * v + 1;
    // >= keeps the leftmost position among equal maxima: ties go to the earliest position.
    if (max_[l] >= max_[r]) {
      max_[v] = max_[l] + add_[v];
      arg_[v] = arg_[l];
    } else {
      max_[v] = max_[r] + add_[v];
      arg_[v] = arg_[r];
    }
  }
  void Apply(size_t v, V delta) {
    max_[v] += delta;
    add_[v] += delta;
  }
  // Node v covers [l, r); `above` is the sum of its ancestors' adds.
  size_t FirstAtLeast(size_t v, size_t l, size_t r, V above, size_t lo, size_t hi, V x) const {
    if (r <= lo || hi <= l || max_[v] + above < x) return SIZE_MAX;
    if (r - l == 1) return l;
    const size_t mid = l + (r - l) / 2;
    const V below = above + add_[v];
    size_t got = FirstAtLeast(2 * v, l, mid, below, lo, hi, x);
    return got != SIZE_MAX ? got : FirstAtLeast(2 * v + 1, mid, r, below, lo, hi, x);
  }

  size_t n_;
  size_t size_;
  std::vector<V>& max_;
  std::vector<V>& add_;
  std::vector<uint32_t>& arg_;
};

}  // namespace vd::detect
