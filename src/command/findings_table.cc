#include "command/findings_table.h"

#include <string_view>
#include <vector>

#include "csv/writer.h"
#include "detect/finding_fields.h"

namespace vd::command {

void WriteFindingsCsv(const detect::Findings& findings, std::string* out) {
  std::vector<detect::OutRecord> records = detect::ToRecords(findings);
  if (records.empty()) return;
  csv::TableWriter table;
  std::vector<std::string_view> values;
  for (const detect::OutRecord& record : records) {
    table.BeginRow();
    for (const detect::OutField& field : record) {
      values.assign(field.values.begin(), field.values.end());
      table.SetMulti(field.name, values);
    }
  }
  table.Finish(out);
}

}  // namespace vd::command
