#include "command/arguments.h"

#include <charconv>
#include <set>
#include <string>

#include <re2/re2.h>

namespace vd::command {
namespace {

constexpr std::string_view kCommand = "vishingcorrelate";

// User text inside an error message: at most 100 bytes (cut at a character boundary), then
// how long it was. A 1 MB argument used to be echoed whole.
std::string Shown(std::string_view text) {
  constexpr size_t kMax = 100;
  if (text.size() <= kMax) return std::string(text);
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "... (" + std::to_string(text.size()) + " bytes)";
}

Status Invalid(std::string_view key, std::string_view value, std::string_view expected) {
  return Status::InvalidArgument(std::string(kCommand) + ": invalid argument " + Shown(key) + "=" +
                                 Shown(value) + ": expected " + std::string(expected));
}

Status ParseDurationArg(std::string_view key, std::string_view value, bool allow_zero,
                        DurationMs* out) {
  DurationMs ms = 0;
  if (!TryParseDuration(value, &ms) || (!allow_zero && ms <= 0)) {
    return Invalid(key, value,
                   allow_zero ? "a duration such as 0, 10s, 15m, 4h or 1d (s, m, h, d)"
                              : "a positive duration such as 30s, 15m, 4h or 1d (s, m, h, d)");
  }
  *out = ms;
  return Status::Ok();
}

// An integer from 1 to `max`.
template <class Int>
Status ParseIntArg(std::string_view key, std::string_view value, Int max, Int* out) {
  Int n = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > max) {
    return Invalid(key, value, "an integer from 1 to " + std::to_string(max));
  }
  *out = n;
  return Status::Ok();
}

template <class E>
struct Choice {
  std::string_view name;
  E value;
};

template <class E, size_t N>
Status ParseChoice(std::string_view key, std::string_view value, const Choice<E> (&choices)[N],
                   E* out) {
  std::string accepted;
  for (const auto& c : choices) {
    if (value == c.name) {
      *out = c.value;
      return Status::Ok();
    }
    if (!accepted.empty()) accepted += "|";
    accepted += c.name;
  }
  return Invalid(key, value, "one of " + accepted);
}

using detect::Binning;
using detect::Mode;
using detect::Pairs;

constexpr Choice<Mode> kModes[] = {
    {"all", Mode::kAll}, {"bulk", Mode::kBulk}, {"chain", Mode::kChain}};
constexpr Choice<Binning> kBinnings[] = {{"sliding", Binning::kSliding},
                                         {"fixed", Binning::kFixed}};
constexpr Choice<events::IdentityMode> kIdentities[] = {
    {"localpart", events::IdentityMode::kLocalpart},
    {"upn", events::IdentityMode::kUpn},
    {"exact", events::IdentityMode::kExact}};
constexpr Choice<Pairs> kPairs[] = {{"first", Pairs::kFirst}, {"all", Pairs::kAll}};
constexpr Choice<Phase> kPhases[] = {{"map", Phase::kMap}};
constexpr Choice<detect::Recovery> kRecoveries[] = {{"all", detect::Recovery::kAll},
                                                    {"password", detect::Recovery::kPassword}};

// report_since=: epoch seconds ("1700000000", "1700000000.5") or a duration before the
// search's latest_time ("-15m").
Status ParseReportSince(std::string_view value, Arguments* out) {
  DurationMs before = 0;
  TimeMs epoch = 0;
  if (value.size() > 1 && value[0] == '-' && TryParseDuration(value.substr(1), &before)) {
    out->report_since_before = before;
    return Status::Ok();
  }
  const bool digits =
      !value.empty() && value.find_first_not_of("0123456789.") == std::string_view::npos;
  if (digits && value.front() != '.' && TryParseTime(value, &epoch)) {
    out->report_since_epoch = epoch;
    return Status::Ok();
  }
  return Invalid("report_since", value,
                 "epoch seconds such as 1700000000, or a duration before the search's latest "
                 "time such as -15m (s, m, h, d)");
}

Status CompileHelpdesk(Arguments* out) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<RE2>(out->helpdesk_regex, options);
  if (!re->ok()) {
    return Invalid("helpdesk_regex", out->helpdesk_regex,
                   "an RE2 regular expression (" + Shown(re->error()) +
                       "), e.g. helpdesk_regex=\"(?i)(helpdesk|support)\"");
  }
  out->helpdesk = std::move(re);
  out->analysis.is_helpdesk_name = [re = out->helpdesk](std::string_view name) {
    return RE2::PartialMatch(re2::StringPiece(name.data(), name.size()), *re);
  };
  return Status::Ok();
}

}  // namespace

detect::Options DefaultAnalysis() {
  detect::Options o;
  o.threads = 2;
  return o;
}

Status ParseArguments(const std::vector<std::string>& args, Arguments* out) {
  *out = Arguments();
  std::set<std::string, std::less<>> seen;
  for (const std::string& arg : args) {
    size_t eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::InvalidArgument(std::string(kCommand) + ": unexpected argument \"" +
                                     Shown(arg) +
                                     "\": arguments are key=value, e.g. mode=chain window=1h");
    }
    std::string_view key = std::string_view(arg).substr(0, eq);
    std::string_view value = std::string_view(arg).substr(eq + 1);
    if (!seen.insert(std::string(key)).second) {
      return Status::InvalidArgument(std::string(kCommand) + ": argument " + Shown(key) +
                                     " is given more than once");
    }
    Status s;
    if (key == "mode") {
      s = ParseChoice(key, value, kModes, &out->analysis.mode);
    } else if (key == "window") {
      s = ParseDurationArg(key, value, false, &out->analysis.window);
    } else if (key == "mfa_window") {
      s = ParseDurationArg(key, value, false, &out->analysis.mfa_window);
    } else if (key == "high_confidence") {
      s = ParseDurationArg(key, value, true, &out->analysis.high_confidence);
    } else if (key == "dedup_window") {
      s = ParseDurationArg(key, value, true, &out->analysis.dedup_window);
    } else if (key == "signin_window") {
      s = ParseDurationArg(key, value, false, &out->analysis.signin_window);
    } else if (key == "min_targets") {
      s = ParseIntArg(key, value, kMaxMinTargets, &out->analysis.min_targets);
    } else if (key == "threads") {
      s = ParseIntArg(key, value, kMaxThreads, &out->analysis.threads);
    } else if (key == "max_findings") {
      s = ParseIntArg(key, value, kMaxMaxFindings, &out->max_findings);
    } else if (key == "max_values") {
      s = ParseIntArg(key, value, kMaxMaxValues, &out->max_values);
    } else if (key == "helpdesk_regex") {
      if (value.empty()) {
        s = Invalid(
            key, value,
            "a non-empty RE2 regular expression, e.g. helpdesk_regex=\"(?i)(helpdesk|support)\"");
      } else {
        out->helpdesk_regex = std::string(value);
      }
    } else if (key == "binning") {
      s = ParseChoice(key, value, kBinnings, &out->analysis.binning);
    } else if (key == "identity") {
      s = ParseChoice(key, value, kIdentities, &out->identity);
    } else if (key == "pairs") {
      s = ParseChoice(key, value, kPairs, &out->analysis.pairs);
    } else if (key == "recovery") {
      s = ParseChoice(key, value, kRecoveries, &out->analysis.recovery);
    } else if (key == "report_since") {
      s = ParseReportSince(value, out);
    } else if (key == "phase") {
      s = ParseChoice(key, value, kPhases, &out->phase);
    } else {
      s = Status::InvalidArgument(
          std::string(kCommand) + ": unknown argument " + Shown(key) +
          "; accepted: mode window mfa_window high_confidence min_targets helpdesk_regex binning "
          "identity dedup_window pairs signin_window recovery threads report_since "
          "max_findings max_values");
    }
    if (!s.ok()) return s;
  }
  return CompileHelpdesk(out);
}

void ResolveReportSince(std::optional<TimeMs> latest_time, TimeMs now, Arguments* args) {
  if (args->report_since_epoch) {
    args->analysis.report_since = *args->report_since_epoch;
  } else if (args->report_since_before) {
    const TimeMs base = latest_time && *latest_time > 0 ? *latest_time : now;
    args->analysis.report_since = base - *args->report_since_before;
  } else {
    args->analysis.report_since.reset();
  }
}

std::string BuildStreamingPreop(const std::vector<std::string>& raw_args) {
  std::string preop = std::string(kCommand) + " phase=map";
  for (const std::string& a : raw_args) {
    preop += ' ';
    preop += a;
  }
  return preop;
}

}  // namespace vd::command
