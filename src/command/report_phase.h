#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "command/arguments.h"
#include "command/row_counts.h"
#include "common/growable_array.h"
#include "common/status.h"
#include "detect/findings.h"
#include "events/identity_event.h"
#include "events/recognizer.h"
#include "events/string_pool.h"
#include "scp/metadata.h"

namespace vd::command {

// The reporting invocation (search head): receives the concatenated map output (or any rows
// a user pre-normalized, or raw events when run without the map phase), possibly over several
// chunks, and produces the findings once splunkd says finished. Memory is held by the compact
// events and the interned strings, never by whole chunks.
class ReportPhase {
 public:
  explicit ReportPhase(const Arguments& args);

  // One chunk (CSV, parsed in place; empty or header-only allowed).
  Status Consume(std::string* body);

  // After the finished:true chunk: runs the analytics and adds the INFO summary. The
  // findings then stay here (FindingsCsv writes the result from them).
  Status Finish(std::vector<scp::Message>* messages);
  const detect::Findings& findings() const { return findings_; }

  uint64_t rows_read() const { return counts_.read; }
  const RowCounts& counts() const { return counts_; }

 private:
  const Arguments& args_;
  events::StringPool pool_;
  events::Recognizer recognizer_;
  RowCounts counts_;
  GrowableArray<events::IdentityEvent> events_;
  std::vector<std::string_view> header_;
  // Consume's batch of rows, reused: their cells back to back, where each row ends, the
  // rows as spans, and the recognizer's verdicts and events.
  std::vector<std::string_view> batch_cells_;
  std::vector<size_t> batch_ends_;
  std::vector<events::Cells> batch_rows_;
  std::vector<events::RecognizeResult> batch_results_;
  std::vector<events::IdentityEvent> batch_events_;
  detect::Findings findings_;
};

}  // namespace vd::command
