#include "command/analysis.h"

#include <re2/re2.h>

#include "common/worker.h"
#include "detect/finding_fields.h"

namespace vd::command {

detect::Options ToDetectOptions(const Arguments& args) {
  detect::Options o;
  switch (args.mode) {
    case Mode::kAll:
      o.mode = detect::Mode::kAll;
      break;
    case Mode::kBulk:
      o.mode = detect::Mode::kBulk;
      break;
    case Mode::kChain:
      o.mode = detect::Mode::kChain;
      break;
  }
  o.window = args.window;
  o.mfa_window = args.mfa_window;
  o.high_confidence = args.high_confidence;
  o.min_targets = args.min_targets;
  o.binning = args.binning == Binning::kFixed ? detect::Binning::kFixed : detect::Binning::kSliding;
  o.dedup_window = args.dedup_window;
  o.pairs = args.pairs == Pairs::kAll ? detect::Pairs::kAll : detect::Pairs::kFirst;
  o.signin_window = args.signin_window;
  o.recovery = args.recovery;
  o.threads = UsableThreads(args.threads);
  if (args.helpdesk) {
    std::shared_ptr<const re2::RE2> re = args.helpdesk;
    o.is_helpdesk_name = [re](std::string_view name) {
      return re2::RE2::PartialMatch(re2::StringPiece(name.data(), name.size()), *re);
    };
  }
  return o;
}

detect::Findings RunAnalysis(std::span<const events::IdentityEvent> events, const StringPool& pool,
                             const Arguments& args) {
  return detect::Analyze(events, pool, ToDetectOptions(args));
}

std::string DescribeFindings(const detect::Findings& findings) {
  return "findings: " + std::to_string(findings.bulk.size()) + " bulk, " +
         std::to_string(findings.chains.size()) + " chains; " + detect::FormatStats(findings.stats);
}

}  // namespace vd::command
