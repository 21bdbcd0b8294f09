#pragma once

#include <cstdint>
#include <vector>

#include "common/time.h"

namespace vd::detect {

struct PeakWindow {
  std::vector<uint32_t> members;  // indices into the input, ascending
  int64_t distinct_targets = 0;
};

// DESIGN.md §3.3 binning=sliding for one initiator. `times` ascending; `targets[i]` a dense
// id of reset i's target key. Every remaining reset at t opens the closed window
// [t, t + window]; a window qualifies when its distinct targets >= min_targets, or (help-desk
// initiator) it holds >= 1 reset. Repeatedly take the qualifying window with the most
// distinct targets (ties: the earliest start), report it and remove its resets.
//
// O(n log n): a max segment tree over window starts holds each window's distinct-target
// count D(i). Reset j is the first of its target in window i exactly when prev(j) < i <= j
// and t(i) >= t(j) - window (prev = previous remaining reset of the same target), so j adds
// 1 to one range of starts; removing j takes that range away and widens the range of the
// next reset of its target. Each reset is removed once, each removal is O(log n).
std::vector<PeakWindow> GreedyPeakWindows(const std::vector<TimeMs>& times,
                                          const std::vector<uint32_t>& targets, DurationMs window,
                                          int64_t min_targets, bool helpdesk);

}  // namespace vd::detect
