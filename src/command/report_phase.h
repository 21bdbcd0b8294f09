#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "command/arguments.h"
#include "common/status.h"
#include "scp/metadata.h"

namespace vd::command {

// The reporting invocation (search head): receives the concatenated map output, possibly over
// several chunks, and produces the findings once splunkd says finished.
//
// SEAM for the analytics: Consume() keeps what each chunk contributes (compact events, never
// whole chunks); Finish() runs dedup / bulk / chain and writes the result rows. Today Consume()
// validates and counts rows and Finish() emits no rows, only the INFO summary.
class ReportPhase {
 public:
  explicit ReportPhase(const Arguments& args) : args_(args) {}

  // One chunk of map output (CSV, parsed in place; empty or header-only allowed).
  Status Consume(std::string* body);

  // After the finished:true chunk: the result CSV (or empty) and the INFO summary.
  Status Finish(std::string* out_csv, std::vector<scp::Message>* messages);

  uint64_t rows_read() const { return rows_read_; }

 private:
  const Arguments& args_;
  uint64_t rows_read_ = 0;
};

}  // namespace vd::command
