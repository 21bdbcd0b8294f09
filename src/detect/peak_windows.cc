#include "detect/peak_windows.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "detect/max_add_tree.h"

namespace vd::detect {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

}  // namespace

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
    MaxAddTree<int32_t> tree(std::span<const int64_t>(init_), &tree_);
    take_windows(tree);
  } else {
    MaxAddTree<int64_t>::Storage storage;
    MaxAddTree<int64_t> tree(std::span<const int64_t>(init_), &storage);
    take_windows(tree);
  }
  return {windows_.data(), used_};
}

}  // namespace vd::detect
