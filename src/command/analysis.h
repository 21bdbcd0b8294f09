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

// The command's arguments as the analytics' options (the help-desk regex becomes an RE2
// matcher on the initiator's printed spelling).
detect::Options ToDetectOptions(const Arguments& args);

// Runs the analytics of DESIGN.md §3.3-3.4 over the recognized events.
detect::Findings RunAnalysis(std::span<const events::IdentityEvent> events, const StringPool& pool,
                             const Arguments& args);

// "findings: 2 bulk, 3 chains; events 40, admin resets 9, ..." for the INFO summary.
std::string DescribeFindings(const detect::Findings& findings);

}  // namespace vd::command
