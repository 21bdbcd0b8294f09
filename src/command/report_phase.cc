#include "command/report_phase.h"

#include "command/csv_rows.h"

namespace vd::command {

Status ReportPhase::Consume(std::string* body) {
  uint64_t rows = 0;
  if (Status s = CountDataRows(body, &rows); !s.ok()) return s;
  rows_read_ += rows;
  return Status::Ok();
}

Status ReportPhase::Finish(std::string* out_csv, std::vector<scp::Message>* messages) {
  out_csv->clear();
  (void)args_;
  messages->push_back({scp::MessageLevel::kInfo, "rows read: " + std::to_string(rows_read_)});
  return Status::Ok();
}

}  // namespace vd::command
