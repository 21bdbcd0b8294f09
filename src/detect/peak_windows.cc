#include "detect/peak_windows.h"

#include <algorithm>
#include <numeric>

namespace vd::detect {
namespace {

// Range add, global max with its leftmost position. Adds are kept at the node they cover
// (never pushed down): a node's max = max of its children + its own add.
class MaxAddTree {
 public:
  explicit MaxAddTree(const std::vector<int64_t>& init) : n_(init.size()) {
    size_ = 1;
    while (size_ < n_) size_ <<= 1;
    max_.assign(2 * size_, kAbsent);
    add_.assign(2 * size_, 0);
    arg_.assign(2 * size_, 0);
    for (size_t i = 0; i < size_; ++i) {
      arg_[size_ + i] = i;
      if (i < n_) max_[size_ + i] = init[i];
    }
    for (size_t v = size_ - 1; v >= 1; --v) Pull(v);
  }

  void Add(size_t lo, size_t hi, int64_t delta) {  // [lo, hi] inclusive
    if (lo > hi) return;
    Add(1, 0, size_ - 1, lo, hi, delta);
  }
  int64_t Max() const { return max_[1]; }
  size_t ArgMax() const { return arg_[1]; }

  static constexpr int64_t kAbsent = INT64_MIN / 4;  // removed / padding starts

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
  void Add(size_t v, size_t l, size_t r, size_t lo, size_t hi, int64_t delta) {
    if (hi < l || r < lo) return;
    if (lo <= l && r <= hi) {
      max_[v] += delta;
      add_[v] += delta;
      return;
    }
    size_t mid = l + (r - l) / 2;
    Add(2 * v, l, mid, lo, hi, delta);
    Add(2 * v + 1, mid + 1, r, lo, hi, delta);
    Pull(v);
  }

  size_t n_;
  size_t size_;
  std::vector<int64_t> max_, add_;
  std::vector<size_t> arg_;
};

constexpr uint32_t kNone = UINT32_MAX;

}  // namespace

std::vector<PeakWindow> GreedyPeakWindows(const std::vector<TimeMs>& times,
                                          const std::vector<uint32_t>& targets,
                                          DurationMs window, int64_t min_targets,
                                          bool helpdesk) {
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
  MaxAddTree tree(init);

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
      tree.Add(j, j, MaxAddTree::kAbsent);  // its window no longer exists
      skip[j] = j + 1;
    }
    out.push_back(std::move(w));
  }
  return out;
}

}  // namespace vd::detect
