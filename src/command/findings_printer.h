#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "detect/finding_fields.h"

namespace vd::command {

// Findings for people rather than splunkd: one aligned line per finding with the columns
//   SEVERITY  DETECTION  TIME (ISO-8601 UTC)  INITIATOR  TARGET(S)  SUMMARY
// where a bulk row shows its target count and the first few targets, and the summary says
// what happened ("6 targets in 39 min, 1 failed"; "MFA 12 min after reset (User registered
// security info); new-IP sign-in 185.220.101.45"). The same records print the same whether
// they come from the analytics (detect::ToRecords) or from a result CSV read back
// (ParseFindingsCsv), so `--replay` and `--table` agree line for line.

// Reads a result CSV as the command writes it (one header, __mv_ companion columns) back
// into records: each plain column becomes a field, its values taken from the __mv_ column
// when that holds any, else the plain cell (an empty cell is no value). `csv` is parsed in
// place. Empty input is zero records. A table without a `detection` column is not a
// vishingcorrelate result: kInvalidArgument.
Status ParseFindingsCsv(std::string* csv, std::vector<detect::OutRecord>* records);

// Appends the table (header line and one line per record) to *out, or "no findings\n".
// Control characters in the data are shown as '?', so hostile names cannot break the
// layout or reach the terminal; very long cells are cut with "...".
void PrintFindingsTable(const std::vector<detect::OutRecord>& records, std::string* out);

}  // namespace vd::command
