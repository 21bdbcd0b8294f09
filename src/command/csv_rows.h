#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"

namespace vd::command {

// Counts the data rows of one chunk body (header excluded; empty body = 0), checking the CSV
// structure. A CSV fault is a protocol fault: the message says which chunk and where.
Status CountDataRows(std::string* body, uint64_t* rows);

}  // namespace vd::command
