#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "events/recognize_result.h"

namespace vd::command {

// What became of the input rows of one invocation, for its INFO summary.
struct RowCounts {
  uint64_t read = 0;
  uint64_t recognized = 0;
  uint64_t irrelevant = 0;
  uint64_t duplicates = 0;  // exact duplicates (same event id) dropped by the map phase
  uint64_t misshapen = 0;   // skipped: more or fewer cells than the header has
  std::array<uint64_t, events::kSkipReasonCount> skipped{};

  void Count(const events::RecognizeResult& r);
  uint64_t skipped_total() const;
  // "rows read 120, recognized 30, irrelevant 85, skipped 5 (missing time 2, bad time 3)"
  std::string Describe() const;
};

}  // namespace vd::command
