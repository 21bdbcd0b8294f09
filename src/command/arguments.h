#pragma once

#include <cstdint>
#include <memory>
#include <optional>
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

enum class Phase : uint8_t { kReport, kMap };

inline constexpr std::string_view kDefaultHelpdeskRegex =
    "(?i)(helpdesk|servicedesk|itadmin|support|resetbot)";

// The analysis settings as the arguments set them: detect::Options with the command's
// defaults (DESIGN.md §3). `threads` is what the user allows (never more than the machine
// has is used): the map invocation reads a large chunk in two halves at once, the reporting
// invocation reads each chunk while splunkd goes on (ReportPhase::ConsumeLater) and finds bulk
// incidents and chains at once. The results do not depend on it. `is_helpdesk_name` matches
// the compiled helpdesk_regex.
detect::Options DefaultAnalysis();

// The arguments of `vishingcorrelate` (DESIGN.md §3), every one with its default.
struct Arguments {
  detect::Options analysis = DefaultAnalysis();
  std::string helpdesk_regex{kDefaultHelpdeskRegex};
  std::shared_ptr<const re2::RE2> helpdesk;  // helpdesk_regex compiled (never null after parsing)
  events::IdentityMode identity = events::IdentityMode::kLocalpart;
  Phase phase = Phase::kReport;  // phase=map: the streaming_preop invocation
  // report_since= (DESIGN.md §3.7): an epoch instant, or a duration before the search's
  // latest_time (before now when the search has none). Unset: every finding is reported.
  std::optional<TimeMs> report_since_epoch;
  std::optional<DurationMs> report_since_before;
  // The instant either resolves to is analysis.report_since (ResolveReportSince, at getinfo).
};

inline constexpr int64_t kMaxMinTargets = 1000000;
inline constexpr int kMaxThreads = 16;

// Parses splunkd's searchinfo.args (already tokenized and unquoted: key=value each). Unknown
// keys, repeated keys, malformed values: kInvalidArgument whose message names the argument and
// the accepted form, ready to show to the user.
Status ParseArguments(const std::vector<std::string>& args, Arguments* out);

// Resolves report_since= to an instant: the epoch as given, or the duration before
// `latest_time` (the search's, from getinfo; absent or 0 means none) else before `now`.
void ResolveReportSince(std::optional<TimeMs> latest_time, TimeMs now, Arguments* args);

// The streaming_preop the reporting invocation asks splunkd to run before it:
// "vishingcorrelate phase=map <raw_args joined by spaces>" (raw_args keep the user's quotes, so
// a regex holding '|' or spaces survives splunkd's re-parsing).
std::string BuildStreamingPreop(const std::vector<std::string>& raw_args);

}  // namespace vd::command
