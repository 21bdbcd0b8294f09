#include "command/csv_rows.h"

#include "csv/reader.h"

namespace vd::command {

Status CountDataRows(std::string* body, uint64_t* rows) {
  *rows = 0;
  if (body->empty()) return Status::Ok();
  Result<size_t> n = csv::CountRows(body->data(), body->size());
  if (!n.ok())
    return Status::Parse("vishingcorrelate: malformed CSV in the execute body: " +
                         n.status().message());
  *rows = n.value() > 0 ? n.value() - 1 : 0;
  return Status::Ok();
}

}  // namespace vd::command
