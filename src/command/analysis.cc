#include "command/analysis.h"

#include "common/worker.h"
#include "detect/finding_fields.h"

namespace vd::command {

detect::Findings RunAnalysis(std::span<const events::IdentityEvent> events, const StringPool& pool,
                             const Arguments& args) {
  detect::Options options = args.analysis;
  options.threads = UsableThreads(options.threads);
  return detect::Analyze(events, pool, options);
}

std::string DescribeFindings(const detect::Findings& findings) {
  return "findings: " + std::to_string(findings.bulk.size()) + " bulk, " +
         std::to_string(findings.chains.size()) + " chains; " + detect::FormatStats(findings.stats);
}

}  // namespace vd::command
