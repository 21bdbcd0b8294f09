#include <algorithm>
#include <tuple>

#include "common/worker.h"
#include "detect/bulk.h"
#include "detect/chain.h"
#include "detect/dedup.h"
#include "detect/event_order.h"
#include "detect/findings.h"
#include "detect/printed_names.h"

namespace vd::detect {

int RiskScore(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return 100;
    case Severity::kHigh:
      return 75;
    case Severity::kMedium:
      return 50;
    case Severity::kLow:
      return 25;
  }
  return 25;
}

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kCritical:
      return "critical";
    case Severity::kHigh:
      return "high";
    case Severity::kMedium:
      return "medium";
    case Severity::kLow:
      return "low";
  }
  return "low";
}

Findings Analyze(std::span<const events::IdentityEvent> events, const StringPool& pool,
                 const Options& options) {
  Findings out;
  const StrOrder order(pool);
  // Events stay where they are; every step walks them through their positions in order.
  const std::vector<uint32_t> event_order = EventOrder(events, order);
  const PrintedNames names(events, event_order, order);
  const DedupedEvents d =
      Dedup(events, event_order, order, std::max<DurationMs>(options.dedup_window, 0), &out.stats,
            options.recovery);

  // Bulk incidents and chains are independent but for the chain escalation, which comes
  // after: with threads, they are found at once.
  const bool with_chains = options.mode != Mode::kBulk;
  const bool with_bulk = options.mode != Mode::kChain;
  std::vector<TimeMs> starts_chain;
  BulkIncidents bulk;
  auto find_chains = [&] {
    if (!with_chains) return;
    out.chains = FindChains(d, names, order, options, &starts_chain);
    // DESIGN.md §3.5 order. Keys are texts, so the order is total and independent of input.
    std::sort(
        out.chains.begin(), out.chains.end(), [](const ChainFinding& a, const ChainFinding& b) {
          return std::tie(b.high_confidence, b.reset_time, a.target_key, a.mfa_time, a.reset_rank,
                          a.mfa_rank) < std::tie(a.high_confidence, a.reset_time, b.target_key,
                                                 b.mfa_time, b.reset_rank, b.mfa_rank);
        });
  };
  auto find_bulk = [&] {
    if (with_bulk) bulk = FindBulk(d, names, order, options, /*keep_members=*/with_chains);
  };
  if (options.threads > 1 && with_chains && with_bulk) {
    Worker worker;
    worker.Start(find_chains);
    find_bulk();
    worker.Wait();
  } else {
    find_chains();
    find_bulk();
  }
  if (with_chains && with_bulk) {
    RaiseChained(starts_chain, std::max<int64_t>(options.min_targets, 1), &bulk);
  }
  out.bulk = std::move(bulk.findings);
  if (options.report_since) {
    // §3.7: a finding is reported by the search in which its newest contributing event
    // arrived; the others were (or will be) reported by another run.
    const TimeMs since = *options.report_since;
    const size_t before = out.bulk.size() + out.chains.size();
    std::erase_if(out.bulk, [since](const BulkFinding& f) { return f.newest_arrival < since; });
    std::erase_if(out.chains, [since](const ChainFinding& f) { return f.newest_arrival < since; });
    out.stats.reported_earlier = static_cast<int64_t>(before - out.bulk.size() - out.chains.size());
  }
  std::sort(out.bulk.begin(), out.bulk.end(), [](const BulkFinding& a, const BulkFinding& b) {
    return std::tie(b.unique_targets, a.first_reset, a.initiator_key) <
           std::tie(a.unique_targets, b.first_reset, b.initiator_key);
  });
  return out;
}

}  // namespace vd::detect
