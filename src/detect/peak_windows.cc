#include "detect/peak_windows.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace vd::detect {
namespace {

// Range add, global max with its leftmost position. Adds are kept at the node they cover
// (never pushed down): a node's max = max of its children + its own add. V is int32_t when
// counts stay below 2^29 (a third of the memory, which is mostly what the tree costs).
template <typename V>
class MaxAddTree {
 public:
  explicit MaxAddTree(const std::vector<int64_t>& init) : n_(init.size()) {
    size_ = 1;
    while (size_ < n_) size_ <<= 1;
    max_.assign(2 * size_, kAbsent);
    add_.assign(2 * size_, 0);
    arg_.assign(2 * size_, 0);
    for (size_t i = 0; i < size_; ++i) {
      arg_[size_ + i] = static_cast<uint32_t>(i);
      if (i < n_) max_[size_ + i] = static_cast<V>(init[i]);
    }
    for (size_t v = size_ - 1; v >= 1; --v) Pull(v);
  }

  // [lo, hi] inclusive. Bottom-up: the delta lands on the same canonical nodes a top-down
  // walk would choose, then the two boundary paths are recomputed; no recursion.
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

  // Removed / padding starts: below any count even after every later add (counts <= n).
  static constexpr V kAbsent = std::numeric_limits<V>::min() / 4;

 private:
  void Pull(size_t v) {
    size_t l = 2 * v, r = 2 * v + 1;
    // >= keeps the leftmost position among equal maxima: ties go to the earliest start.
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

  size_t n_;
  size_t size_;
  std::vector<V> max_, add_;
  std::vector<uint32_t> arg_;
};

constexpr uint32_t kNone = UINT32_MAX;

}  // namespace

std::vector<PeakWindow> GreedyPeakWindows(const std::vector<TimeMs>& times,
                                          const std::vector<uint32_t>& targets, DurationMs window,
                                          int64_t min_targets, bool helpdesk) {
  std::vector<PeakWindow> out;
  const size_t n = times.size();
  if (n == 0) return out;
  const int64_t need = helpdesk ? 1 : std::max<int64_t>(min_targets, 1);

  // first_start[j] = first start whose window reaches j; last_member[i] = last index in
  // window i.
  std::vector<uint32_t> first_start(n), last_member(n);
  for (size_t j = 0, lo = 0; j < n; ++j) {
    while (times[lo] < times[j] - window) ++lo;
    first_start[j] = static_cast<uint32_t>(lo);
  }
  for (size_t i = n, hi = n; i-- > 0;) {
    while (times[hi - 1] > times[i] + window) --hi;
    last_member[i] = static_cast<uint32_t>(hi - 1);
  }
  // Remaining resets of each target as a doubly linked list in index order.
  uint32_t max_target = *std::max_element(targets.begin(), targets.end());
  std::vector<uint32_t> last_of(static_cast<size_t>(max_target) + 1, kNone);
  std::vector<uint32_t> prev(n), next(n, kNone);
  for (size_t j = 0; j < n; ++j) {
    prev[j] = last_of[targets[j]];
    if (prev[j] != kNone) next[prev[j]] = static_cast<uint32_t>(j);
    last_of[targets[j]] = static_cast<uint32_t>(j);
  }
  // Range of starts reset j counts in, given its current prev.
  auto range_lo = [&](size_t j, uint32_t p) {
    return std::max<size_t>(p == kNone ? 0 : p + 1, first_start[j]);
  };
  std::vector<int64_t> diff(n + 1, 0);
  for (size_t j = 0; j < n; ++j) {
    diff[range_lo(j, prev[j])] += 1;
    diff[j + 1] -= 1;
  }
  std::vector<int64_t> init(n);
  std::partial_sum(diff.begin(), diff.end() - 1, init.begin());
  // Skip pointers to the next remaining index (path-halving union-find).
  std::vector<uint32_t> skip(n + 1);
  std::iota(skip.begin(), skip.end(), 0u);
  auto next_remaining = [&](uint32_t i) {
    while (skip[i] != i) {
      skip[i] = skip[skip[i]];
      i = skip[i];
    }
    return i;
  };

  auto take_windows = [&](auto& tree) {
    while (tree.Max() >= need) {
      const size_t start = tree.ArgMax();
      PeakWindow w;
      w.distinct_targets = tree.Max();
      for (uint32_t j = next_remaining(static_cast<uint32_t>(start)); j <= last_member[start];
           j = next_remaining(j)) {
        w.members.push_back(j);
        const uint32_t p = prev[j], q = next[j];
        tree.Add(range_lo(j, p), j, -1);
        if (q != kNone) {
          // q's range grows from [range_lo(q, j), q] to [range_lo(q, p), q].
          size_t new_lo = range_lo(q, p), old_lo = range_lo(q, j);
          if (new_lo < old_lo) tree.Add(new_lo, old_lo - 1, +1);
          prev[q] = p;
        }
        if (p != kNone) next[p] = q;
        tree.Add(j, j, tree.kAbsent);  // its window no longer exists
        skip[j] = j + 1;
      }
      out.push_back(std::move(w));
    }
  };
  if (n < (size_t{1} << 29)) {
    MaxAddTree<int32_t> tree(init);
    take_windows(tree);
  } else {
    MaxAddTree<int64_t> tree(init);
    take_windows(tree);
  }
  return out;
}

}  // namespace vd::detect
