#pragma once

#include <span>
#include <string>
#include <vector>

#include "command/arguments.h"
#include "common/string_pool.h"
#include "detect/findings.h"
#include "detect/options.h"
#include "events/identity_event.h"

namespace vd::command {

// Runs the analytics of DESIGN.md §3.3-3.4 over the recognized events with args.analysis
// (threads limited to what the machine has).
detect::Findings RunAnalysis(std::span<const events::IdentityEvent> events, const StringPool& pool,
                             const Arguments& args);

// "findings: 2 bulk, 3 chains; events 40, admin resets 9, ..." for the INFO summary.
std::string DescribeFindings(const detect::Findings& findings);

}  // namespace vd::command
