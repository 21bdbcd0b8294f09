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

namespace vd::command {

std::vector<std::string> CapFindings(detect::Findings* findings, const Arguments& args) {
  std::vector<std::string> warnings;
  const auto max_findings = static_cast<size_t>(args.max_findings);
  const size_t total = findings->bulk.size() + findings->chains.size();
  if (total > max_findings) {
    const size_t bulk_cut =
        findings->bulk.size() > max_findings ? findings->bulk.size() - max_findings : 0;
    findings->bulk.resize(findings->bulk.size() - bulk_cut);
    const size_t chains_kept = max_findings - findings->bulk.size();
    const size_t chains_cut = findings->chains.size() - chains_kept;
    findings->chains.resize(chains_kept);
    warnings.push_back("vishingcorrelate: max_findings=" + std::to_string(max_findings) + ": " +
                       std::to_string(total - max_findings) + " of " + std::to_string(total) +
                       " findings not returned (the last in output order: " +
                       std::to_string(bulk_cut) + " bulk incidents, " + std::to_string(chains_cut) +
                       " chains); narrow the search or raise max_findings");
  }
  const auto max_values = static_cast<size_t>(args.max_values);
  int64_t fields_cut = 0, values_cut = 0;
  auto cap = [&](std::vector<std::string_view>* list) {
    if (list->size() <= max_values) return;
    ++fields_cut;
    values_cut += static_cast<int64_t>(list->size() - max_values);
    list->resize(max_values);
  };
  for (detect::BulkFinding& f : findings->bulk) {
    cap(&f.affected_accounts);
    cap(&f.source_ips);
    cap(&f.sources);
  }
  for (detect::ChainFinding& f : findings->chains) cap(&f.mfa_operations);
  if (fields_cut > 0) {
    warnings.push_back(
        "vishingcorrelate: max_values=" + std::to_string(max_values) + ": " +
        std::to_string(fields_cut) + " multivalue field(s) list only their first " +
        std::to_string(max_values) + " values, " + std::to_string(values_cut) +
        " values not listed (AffectedAccounts, SourceIPs, Sources, MFAOperations; the counts "
        "such as UniqueTargets and MFAChangeCount still count them all)");
  }
  return warnings;
}

}  // namespace vd::command
