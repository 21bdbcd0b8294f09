#pragma once

#include <string>
#include <vector>

#include "detect/findings.h"

namespace vd::detect {

// One output field: a single value, several (multivalue: the command writes the __mv_
// encoding), or none (an empty cell).
struct OutField {
  std::string name;
  std::vector<std::string> values;
};
using OutRecord = std::vector<OutField>;

// DESIGN.md §3.5 rows, in Findings order (bulk rows first, then chains). Every record lists
// every field of its kind, in the order of FieldNames(); times are epoch seconds
// (FormatEpochSeconds), booleans "true"/"false", empty strings become no value.
std::vector<OutRecord> ToRecords(const Findings& findings);
OutRecord BulkRecord(const BulkFinding& f);
OutRecord ChainRecord(const ChainFinding& f);

// The union of all field names, common fields first, then bulk, then chain: the column
// order for a result table holding both kinds of rows.
const std::vector<std::string>& FieldNames();

// One line for the INFO summary: "events=... admin_resets=... ...".
std::string FormatStats(const DetectStats& stats);

}  // namespace vd::detect
