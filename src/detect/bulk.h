#pragma once

#include <vector>

#include "detect/dedup.h"
#include "detect/event_order.h"
#include "detect/findings.h"
#include "detect/options.h"
#include "detect/printed_names.h"

namespace vd::detect {

// DESIGN.md §3.3: bulk-reset incidents per initiator over `d.resets` (allow-listed ones are
// counted, never qualify), binning fixed (the SPL seed) or sliding (greedy peak windows).
// `starts_chain[i]` says whether d.resets[i] starts a chain (empty: none does); an incident
// holding such a reset is raised to critical. Output is unordered (Analyze sorts).
std::vector<BulkFinding> FindBulk(const DedupedEvents& d, const std::vector<bool>& starts_chain,
                                  const PrintedNames& names, const StrOrder& order,
                                  const Options& options);

// Severity of an incident from its distinct targets (the seed's RiskScore cases).
Severity BulkSeverity(int64_t unique_targets, bool helpdesk_named);

}  // namespace vd::detect
