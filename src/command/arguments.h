#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"
#include "detect/options.h"
#include "events/identity_event.h"

namespace re2 {
class RE2;
}

namespace vd::command {

enum class Mode : uint8_t { kAll, kBulk, kChain };
enum class Binning : uint8_t { kSliding, kFixed };
enum class Pairs : uint8_t { kFirst, kAll };
enum class Phase : uint8_t { kReport, kMap };

inline constexpr std::string_view kDefaultHelpdeskRegex =
    "(?i)(helpdesk|servicedesk|itadmin|support|resetbot)";

// The arguments of `vishingcorrelate` (DESIGN.md §3), every one with its default.
struct Arguments {
  Mode mode = Mode::kAll;
  DurationMs window = 3600 * 1000;          // bulk window
  DurationMs mfa_window = 4 * 3600 * 1000;  // reset -> MFA
  DurationMs high_confidence = 30 * 60 * 1000;
  int64_t min_targets = 2;
  std::string helpdesk_regex{kDefaultHelpdeskRegex};
  std::shared_ptr<const re2::RE2> helpdesk;  // helpdesk_regex compiled (never null after parsing)
  Binning binning = Binning::kSliding;
  events::IdentityMode identity = events::IdentityMode::kLocalpart;
  DurationMs dedup_window = 10 * 1000;
  Pairs pairs = Pairs::kFirst;
  DurationMs signin_window = 24 * 3600 * 1000;
  detect::Recovery recovery = detect::Recovery::kAll;  // recovery=all|password (DESIGN.md §3.6)
  // Threads an invocation may use (never more than the machine has): the map invocation
  // reads a large chunk in two halves at once, the reporting invocation reads each chunk
  // while splunkd goes on (ReportPhase::ConsumeLater) and finds bulk incidents and chains at
  // once. The results do not depend on it.
  int threads = 2;
  Phase phase = Phase::kReport;  // phase=map: the streaming_preop invocation
};

inline constexpr int64_t kMaxMinTargets = 1000000;
inline constexpr int kMaxThreads = 16;

// Parses splunkd's searchinfo.args (already tokenized and unquoted: key=value each). Unknown
// keys, repeated keys, malformed values: kInvalidArgument whose message names the argument and
// the accepted form, ready to show to the user.
Status ParseArguments(const std::vector<std::string>& args, Arguments* out);

// The streaming_preop the reporting invocation asks splunkd to run before it:
// "vishingcorrelate phase=map <raw_args joined by spaces>" (raw_args keep the user's quotes, so
// a regex holding '|' or spaces survives splunkd's re-parsing).
std::string BuildStreamingPreop(const std::vector<std::string>& raw_args);

}  // namespace vd::command
