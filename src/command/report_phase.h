#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "command/arguments.h"
#include "command/row_counts.h"
#include "common/growable_array.h"
#include "common/status.h"
#include "common/string_pool.h"
#include "common/worker.h"
#include "detect/findings.h"
#include "events/identity_event.h"
#include "events/recognizer.h"
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

  // One chunk before the last, read on a second thread (with the argument threads > 1, even
  // on one core, so when errors are reported depends on the arguments only) while splunkd goes
  // on: in a search, splunkd sends this invocation each map reply as it comes and waits for
  // the answer before it drives the map invocation again, so answering at once lets the two
  // invocations work at the same time. Takes the chunk's bytes (*body is left holding a
  // buffer for the caller to reuse) and returns the result of the chunk read before it, so a
  // malformed chunk is reported in the answer to the next request. One chunk is read at a
  // time: a second call waits for the first.
  Status ConsumeLater(std::string* body);
  // Waits for the chunk ConsumeLater started, and returns its result (Consume and Finish do
  // this first).
  Status Settle();

  // After the finished:true chunk: runs the analytics and adds the INFO summary. The
  // findings then stay here (FindingsCsv writes the result from them).
  Status Finish(std::vector<scp::Message>* messages);
  const detect::Findings& findings() const { return findings_; }

  uint64_t rows_read() const { return counts_.read; }
  const RowCounts& counts() const { return counts_; }

 private:
  Status ConsumeNow(std::string* body);

  const Arguments& args_;
  StringPool pool_;
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
  // ConsumeLater's chunk, its result, and the thread reading it (declared last: destroyed
  // first, so it stops before anything it reads into).
  std::string later_body_;
  Status later_status_;
  Worker later_;
};

}  // namespace vd::command
