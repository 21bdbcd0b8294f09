#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "command/arguments.h"
#include "command/row_counts.h"
#include "common/status.h"
#include "events/recognizer.h"
#include "events/string_pool.h"
#include "scp/metadata.h"

namespace vd::command {

// The phase=map invocation (streaming, runs on every indexer): raw events in, compact
// normalized vc_* rows out, one execute chunk at a time. Irrelevant rows and exact
// duplicates (same kind, source and event id) are dropped here, so only the compact rows
// cross the network; time-window dedup needs every indexer's events and is left to the
// reporting invocation.
class MapPhase {
 public:
  explicit MapPhase(const Arguments& args);

  // `body` is one execute chunk's CSV (empty or header-only allowed), parsed in place.
  // Writes this chunk's output CSV (vc_* header and rows, or nothing) to *out_csv.
  Status ConsumeChunk(std::string* body, std::string* out_csv, std::vector<scp::Message>* messages);

  // The INFO summary for the last reply.
  std::string Summary() const { return "vishingcorrelate map: " + counts_.Describe(); }

  uint64_t rows_read() const { return counts_.read; }
  const RowCounts& counts() const { return counts_; }

 private:
  // Remembers (kind, source, event id); true when it was new. Only the event id is interned:
  // the rest of the row is written straight from the recognizer's views.
  bool FirstSighting(const events::EventView& e);

  const Arguments& args_;
  events::StringPool pool_;
  events::Recognizer recognizer_;
  RowCounts counts_;
  std::unordered_set<uint64_t> seen_ids_;  // StrId of the event id | kind | source
  std::vector<std::string_view> header_;
  std::string time_text_;
};

}  // namespace vd::command
