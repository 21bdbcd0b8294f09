#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/time.h"
#include "detect/findings.h"

namespace vd::detect {

// One output field: a single value, several (multivalue: the command writes the __mv_
// encoding), or none (an empty cell).
struct OutField {
  std::string name;
  std::vector<std::string> values;
};
using OutRecord = std::vector<OutField>;

// Receives one finding's fields in the order of FieldNames() (DESIGN.md §3.5): the common
// fields, then those of its kind. Writers that stream rows (the result CSV) implement it, so
// no per-field strings are built on their way out. Values are views valid during the call.
class FieldVisitor {
 public:
  virtual ~FieldVisitor() = default;
  // One value; an empty one is no value (an empty cell).
  virtual void Text(std::string_view name, std::string_view value) = 0;
  // Zero, one or several values (several: a multivalue field).
  virtual void List(std::string_view name, std::span<const std::string_view> values) = 0;
  // Epoch seconds (FormatEpochSeconds), decimal integers, "true"/"false".
  virtual void Time(std::string_view name, TimeMs t);
  virtual void Int(std::string_view name, int64_t v);
  virtual void Bool(std::string_view name, bool v);
};
void VisitBulk(const BulkFinding& f, FieldVisitor* visitor);
void VisitChain(const ChainFinding& f, FieldVisitor* visitor);

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
