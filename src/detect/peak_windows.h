#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/time.h"
#include "detect/max_add_tree.h"

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
//
// One finder serves many initiators in a row: its working arrays (a dozen per call) and the
// windows' member lists are kept from one call to the next. A report holds tens of
// thousands of initiators with a handful of resets each, where those allocations cost
// more than the windows.
class PeakWindowFinder {
 public:
  // Valid until the next call.
  std::span<const PeakWindow> Find(std::span<const TimeMs> times, std::span<const uint32_t> targets,
                                   DurationMs window, int64_t min_targets, bool helpdesk);

 private:
  PeakWindow& NextWindow();

  std::vector<uint32_t> first_start_, last_member_, last_of_, prev_, next_, skip_;
  std::vector<int64_t> diff_, init_;
  MaxAddTree<int32_t>::Storage tree_;
  std::vector<PeakWindow> windows_;  // never shrinks: the first used_ are this call's
  size_t used_ = 0;
};

}  // namespace vd::detect
