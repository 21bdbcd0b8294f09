#include "command/map_phase.h"

#include "command/csv_rows.h"

namespace vd::command {

Status MapPhase::ConsumeChunk(std::string* body, std::string* out_csv,
                              std::vector<scp::Message>* /*messages*/) {
  out_csv->clear();
  uint64_t rows = 0;
  if (Status s = CountDataRows(body, &rows); !s.ok()) return s;
  rows_read_ += rows;
  (void)args_;
  return Status::Ok();
}

}  // namespace vd::command
