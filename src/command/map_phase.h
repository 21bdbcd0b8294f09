#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "command/arguments.h"
#include "common/status.h"
#include "scp/metadata.h"

namespace vd::command {

// The phase=map invocation (streaming, runs on every indexer): raw events in, compact
// normalized rows out, one execute chunk at a time.
//
// SEAM for the analytics: ConsumeChunk() today validates the CSV and counts its rows, and emits
// no rows. Recognition, exact-duplicate removal and the vc_* output rows go here.
class MapPhase {
 public:
  explicit MapPhase(const Arguments& args) : args_(args) {}

  // `body` is one execute chunk's CSV (empty or header-only allowed), parsed in place.
  // Writes this chunk's output CSV (with its own header, or nothing) to *out_csv.
  Status ConsumeChunk(std::string* body, std::string* out_csv, std::vector<scp::Message>* messages);

  uint64_t rows_read() const { return rows_read_; }

 private:
  const Arguments& args_;
  uint64_t rows_read_ = 0;
};

}  // namespace vd::command
