#include "detect/peak_windows.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace vd::detect {
namespace {

// Range add, global max with its leftmost position. Adds are kept at the node they cover
// (never pushed down): a node's max = max of its children + its own add. V is int32_t when
// counts stay below 2^29 (a third of the memory, which is mostly what the tree costs). The
// arrays are the caller's, so one set serves many trees in turn.
template <typename V>
class MaxAddTree {
 public:
  MaxAddTree(const std::vector<int64_t>& init, std::vector<V>* max, std::vector<V>* add,
             std::vector<uint32_t>* arg)
      : n_(init.size()), max_(*max), add_(*add), arg_(*arg) {
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
  std::vector<V>& max_;
  std::vector<V>& add_;
  std::vector<uint32_t>& arg_;
};

constexpr uint32_t kNone = UINT32_MAX;

}  // namespace

std::vector<PeakWindow> GreedyPeakWindows(const std::vector<TimeMs>& times,
                                          const std::vector<uint32_t>& targets, DurationMs window,
                                          int64_t min_targets, bool helpdesk) {
  PeakWindowFinder finder;
  std::span<const PeakWindow> found = finder.Find(times, targets, window, min_targets, helpdesk);
  return std::vector<PeakWindow>(found.begin(), found.end());
}

PeakWindow& PeakWindowFinder::NextWindow() {
  if (used_ == windows_.size()) windows_.emplace_back();
  PeakWindow& w = windows_[used_++];
  w.members.clear();
  w.distinct_targets = 0;
  return w;
}

std::span<const PeakWindow> PeakWindowFinder::Find(std::span<const TimeMs> times,
                                                   std::span<const uint32_t> targets,
                                                   DurationMs window, int64_t min_targets,
                                                   bool helpdesk) {
  used_ = 0;
  const size_t n = times.size();
  if (n == 0) return {};
  const int64_t need = helpdesk ? 1 : std::max<int64_t>(min_targets, 1);

  // Remaining resets of each target as a doubly linked list in index order.
  const uint32_t max_target = *std::max_element(targets.begin(), targets.end());
  last_of_.assign(static_cast<size_t>(max_target) + 1, kNone);
  prev_.resize(n);
  next_.assign(n, kNone);
  int64_t distinct = 0;
  for (size_t j = 0; j < n; ++j) {
    prev_[j] = last_of_[targets[j]];
    if (prev_[j] != kNone) next_[prev_[j]] = static_cast<uint32_t>(j);
    distinct += prev_[j] == kNone;
    last_of_[targets[j]] = static_cast<uint32_t>(j);
  }
  // Every reset inside the first one's window (most initiators): that window holds every
  // target, so it is the peak (and the earliest start among equals), and nothing remains.
  if (times[n - 1] - times[0] <= window) {
    if (distinct < need) return {};
    PeakWindow& w = NextWindow();
    w.distinct_targets = distinct;
    w.members.resize(n);
    std::iota(w.members.begin(), w.members.end(), 0u);
    return {windows_.data(), used_};
  }

  // first_start[j] = first start whose window reaches j; last_member[i] = last index in
  // window i.
  first_start_.resize(n);
  last_member_.resize(n);
  for (size_t j = 0, lo = 0; j < n; ++j) {
    while (times[lo] < times[j] - window) ++lo;
    first_start_[j] = static_cast<uint32_t>(lo);
  }
  for (size_t i = n, hi = n; i-- > 0;) {
    while (times[hi - 1] > times[i] + window) --hi;
    last_member_[i] = static_cast<uint32_t>(hi - 1);
  }
  // Range of starts reset j counts in, given its current prev.
  auto range_lo = [&](size_t j, uint32_t p) {
    return std::max<size_t>(p == kNone ? 0 : p + 1, first_start_[j]);
  };
  diff_.assign(n + 1, 0);
  for (size_t j = 0; j < n; ++j) {
    diff_[range_lo(j, prev_[j])] += 1;
    diff_[j + 1] -= 1;
  }
  init_.resize(n);
  std::partial_sum(diff_.begin(), diff_.end() - 1, init_.begin());
  // Skip pointers to the next remaining index (path-halving union-find).
  skip_.resize(n + 1);
  std::iota(skip_.begin(), skip_.end(), 0u);
  auto next_remaining = [&](uint32_t i) {
    while (skip_[i] != i) {
      skip_[i] = skip_[skip_[i]];
      i = skip_[i];
    }
    return i;
  };

  auto take_windows = [&](auto& tree) {
    while (tree.Max() >= need) {
      const size_t start = tree.ArgMax();
      PeakWindow& w = NextWindow();
      w.distinct_targets = tree.Max();
      for (uint32_t j = next_remaining(static_cast<uint32_t>(start)); j <= last_member_[start];
           j = next_remaining(j)) {
        w.members.push_back(j);
        const uint32_t p = prev_[j], q = next_[j];
        tree.Add(range_lo(j, p), j, -1);
        if (q != kNone) {
          // q's range grows from [range_lo(q, j), q] to [range_lo(q, p), q].
          size_t new_lo = range_lo(q, p), old_lo = range_lo(q, j);
          if (new_lo < old_lo) tree.Add(new_lo, old_lo - 1, +1);
          prev_[q] = p;
        }
        if (p != kNone) next_[p] = q;
        tree.Add(j, j, tree.kAbsent);  // its window no longer exists
        skip_[j] = j + 1;
      }
    }
  };
  if (n < (size_t{1} << 29)) {
    MaxAddTree<int32_t> tree(init_, &tree_max_, &tree_add_, &tree_arg_);
    take_windows(tree);
  } else {
    std::vector<int64_t> max, add;
    std::vector<uint32_t> arg;
    MaxAddTree<int64_t> tree(init_, &max, &add, &arg);
    take_windows(tree);
  }
  return {windows_.data(), used_};
}

}  // namespace vd::detect
