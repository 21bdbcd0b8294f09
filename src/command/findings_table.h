#pragma once

#include <string>

#include "detect/findings.h"

namespace vd::command {

// Findings as the result CSV splunkd receives: one row per finding (DESIGN.md §3.5 order),
// one header over all fields, multivalue fields in the __mv_ encoding. Nothing at all when
// there are no findings.
void WriteFindingsCsv(const detect::Findings& findings, std::string* out);

}  // namespace vd::command
