#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "common/time.h"

namespace vd::detect {

enum class Mode : uint8_t { kAll, kBulk, kChain };
enum class Binning : uint8_t { kSliding, kFixed };
enum class Pairs : uint8_t { kFirst, kAll };
// Which recoveries start chains and count in bulk incidents (DESIGN.md §3.6): every kind, or
// password resets only (the first version: MFA resets and TAPs are then MFA changes).
enum class Recovery : uint8_t { kAll, kPassword };

// Tuning of the analytics, defaults as DESIGN.md §3. Argument parsing and validation live
// in the command; detect/ only clamps values that would make no sense (a window < 1 ms,
// min_targets < 1) so that no input can make it misbehave.
struct Options {
  Mode mode = Mode::kAll;
  DurationMs window = 60 * 60 * 1000;           // bulk window / fixed bin width
  DurationMs mfa_window = 4 * 60 * 60 * 1000;   // reset -> MFA, closed: 0 <= m-r <= window
  DurationMs high_confidence = 30 * 60 * 1000;  // (m - r) < this is HighConfidence
  int64_t min_targets = 2;                      // distinct targets that qualify a window
  Binning binning = Binning::kSliding;
  DurationMs dedup_window = 10 * 1000;  // anchored at a dedup group's earliest event
  Pairs pairs = Pairs::kFirst;
  DurationMs signin_window = 24 * 60 * 60 * 1000;  // MFA -> sign-in
  Recovery recovery = Recovery::kAll;
  // §3.7 report_since, resolved to an instant by the command: only findings whose newest
  // contributing event arrived at or after it are kept. Unset: every finding.
  std::optional<TimeMs> report_since;
  // Threads the analysis may use (bulk incidents and chains are found at once with two).
  // The findings do not depend on it.
  int threads = 1;

  // True when an initiator's printed spelling is help-desk-named (helpdesk_regex). The
  // command supplies an RE2 matcher; empty means no name matches (vc_helpdesk still counts).
  std::function<bool(std::string_view)> is_helpdesk_name;
};

}  // namespace vd::detect
