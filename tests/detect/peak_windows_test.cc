#include "detect/peak_windows.h"

#include <algorithm>
#include <random>
#include <set>
#include <span>

#include <gtest/gtest.h>

namespace vd::detect {
namespace {

std::vector<PeakWindow> GreedyPeakWindows(const std::vector<TimeMs>& times,
                                          const std::vector<uint32_t>& targets, DurationMs window,
                                          int64_t min_targets, bool helpdesk) {
  PeakWindowFinder finder;
  std::span<const PeakWindow> found = finder.Find(times, targets, window, min_targets, helpdesk);
  return std::vector<PeakWindow>(found.begin(), found.end());
}

// DESIGN.md §3.3 greedy, spelled out the slow way: recount every window each round.
std::vector<PeakWindow> NaiveGreedy(const std::vector<TimeMs>& times,
                                    const std::vector<uint32_t>& targets, DurationMs window,
                                    int64_t min_targets, bool helpdesk) {
  std::vector<PeakWindow> out;
  std::vector<bool> removed(times.size(), false);
  for (;;) {
    int64_t best = -1;
    size_t best_start = 0;
    for (size_t i = 0; i < times.size(); ++i) {
      if (removed[i]) continue;
      std::set<uint32_t> distinct;
      size_t members = 0;
      for (size_t j = 0; j < times.size(); ++j) {
        if (!removed[j] && times[j] >= times[i] && times[j] <= times[i] + window) {
          distinct.insert(targets[j]);
          ++members;
        }
      }
      int64_t d = static_cast<int64_t>(distinct.size());
      bool qualifies = d >= min_targets || (helpdesk && members >= 1);
      // Earliest start wins ties; equal start times hold the same resets.
      if (qualifies && d > best) {
        best = d;
        best_start = i;
      }
    }
    if (best < 0) return out;
    PeakWindow w;
    w.distinct_targets = best;
    for (size_t j = 0; j < times.size(); ++j) {
      if (!removed[j] && times[j] >= times[best_start] && times[j] <= times[best_start] + window) {
        w.members.push_back(static_cast<uint32_t>(j));
        removed[j] = true;
      }
    }
    out.push_back(std::move(w));
  }
}

void ExpectSame(const std::vector<PeakWindow>& got, const std::vector<PeakWindow>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].members, want[i].members) << "window " << i;
    EXPECT_EQ(got[i].distinct_targets, want[i].distinct_targets) << "window " << i;
  }
}

TEST(PeakWindowsTest, MatchesTheNaiveGreedyOnRandomInputs) {
  std::mt19937_64 rng(20240304);
  PeakWindowFinder reused;
  for (int round = 0; round < 3000; ++round) {
    const size_t n = 1 + rng() % 40;
    const TimeMs span = 1 + static_cast<TimeMs>(rng() % 200);  // many equal times
    const uint32_t n_targets = 1 + static_cast<uint32_t>(rng() % 8);
    std::vector<TimeMs> times(n);
    std::vector<uint32_t> targets(n);
    for (size_t i = 0; i < n; ++i) {
      times[i] = static_cast<TimeMs>(rng() % span);
      targets[i] = static_cast<uint32_t>(rng() % n_targets);
    }
    std::sort(times.begin(), times.end());
    const DurationMs window = static_cast<DurationMs>(rng() % 60);
    const int64_t min_targets = 1 + static_cast<int64_t>(rng() % 4);
    const bool helpdesk = rng() % 4 == 0;
    SCOPED_TRACE("round " + std::to_string(round));
    const std::vector<PeakWindow> want = NaiveGreedy(times, targets, window, min_targets, helpdesk);
    ExpectSame(GreedyPeakWindows(times, targets, window, min_targets, helpdesk), want);
    // One finder through every round: nothing of an earlier call leaks into the next.
    std::span<const PeakWindow> found = reused.Find(times, targets, window, min_targets, helpdesk);
    ExpectSame(std::vector<PeakWindow>(found.begin(), found.end()), want);
    if (HasFailure()) return;
  }
}

TEST(PeakWindowsTest, ClosedWindowCountsAGapOfExactlyTheWindow) {
  std::vector<TimeMs> times = {0, 3600000};
  std::vector<uint32_t> targets = {0, 1};
  auto w = GreedyPeakWindows(times, targets, 3600000, 2, false);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].distinct_targets, 2);
  EXPECT_TRUE(GreedyPeakWindows(times, targets, 3599999, 2, false).empty());
}

TEST(PeakWindowsTest, PicksThePeakFirstThenTheRest) {
  // Targets 0,1 at 0..10; a peak of 4 targets at 50..60; window 15.
  std::vector<TimeMs> times = {0, 10, 50, 52, 55, 60, 70};
  std::vector<uint32_t> targets = {0, 1, 2, 3, 4, 5, 6};
  auto w = GreedyPeakWindows(times, targets, 15, 2, false);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].members, (std::vector<uint32_t>{2, 3, 4, 5}));
  EXPECT_EQ(w[1].members, (std::vector<uint32_t>{0, 1}));
  // 70 is left alone: one target does not qualify a non-help-desk window.
}

TEST(PeakWindowsTest, EmptyInputGivesNothing) {
  EXPECT_TRUE(GreedyPeakWindows({}, {}, 1000, 2, true).empty());
}

}  // namespace
}  // namespace vd::detect
