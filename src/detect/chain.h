#pragma once

#include <cstdint>
#include <vector>

#include "detect/dedup.h"
#include "detect/event_order.h"
#include "detect/findings.h"
#include "detect/options.h"
#include "detect/printed_names.h"

namespace vd::detect {

inline constexpr TimeMs kNoChain = INT64_MIN;

// DESIGN.md §3.4: reset -> MFA chains with the sign-in leg. For each successful admin reset
// of T at r in `d.resets` (allow-listed ones too: allow-listing never stops a chain, §3.6)
// and each MFA change of T at m with 0 <= m - r <= mfa_window: pairs=all one row per pair,
// pairs=first one row per reset with its first MFA change (EventLess order: time, operation, event
// id) plus the count and distinct operations of all of them. Sets (*starts_chain)[i] for every
// reset i that produced a row to the instant that chain became visible (the later arrival of the
// reset and its first MFA change), else kNoChain. Output is unordered (Analyze sorts).
std::vector<ChainFinding> FindChains(const DedupedEvents& d, const PrintedNames& names,
                                     const StrOrder& order, const Options& options,
                                     std::vector<TimeMs>* starts_chain);

}  // namespace vd::detect
