#pragma once

#include <vector>

#include "detect/chain.h"
#include "detect/dedup.h"
#include "detect/event_order.h"
#include "detect/findings.h"
#include "detect/options.h"
#include "detect/printed_names.h"

namespace vd::detect {

// Bulk incidents with the resets each holds (kept only when asked), so the chain escalation
// can come after: FindBulk and FindChains then run at once.
struct BulkIncidents {
  std::vector<BulkFinding> findings;  // unordered (Analyze sorts)
  std::vector<uint32_t> members;  // indices into d.resets: finding k's at [begin[k], begin[k + 1])
  std::vector<uint32_t> begin;    // one more than findings, when members are kept
};

// DESIGN.md §3.3: bulk-reset incidents per initiator over `d.resets` (allow-listed ones are
// counted, never qualify), binning fixed (the SPL seed) or sliding (greedy peak windows).
// With `keep_members`, each incident's resets are listed for RaiseChained.
BulkIncidents FindBulk(const DedupedEvents& d, const PrintedNames& names, const StrOrder& order,
                       const Options& options, bool keep_members);

// mode=all: an incident of at least `min_targets` distinct targets holding a reset that starts
// a chain (`starts_chain[i]` for d.resets[i], not kNoChain) is raised to critical, and that
// chain's arrival counts as a contributing event's (report_since); one that qualified only
// by the help-desk name is not (its chain row is that finding). Needs the members FindBulk
// kept.
void RaiseChained(const std::vector<TimeMs>& starts_chain, int64_t min_targets,
                  BulkIncidents* incidents);

// Severity of an incident from its distinct targets (the seed's RiskScore cases).
Severity BulkSeverity(int64_t unique_targets, bool helpdesk_named);

}  // namespace vd::detect
