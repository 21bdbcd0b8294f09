#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "command/arguments.h"
#include "command/row_counts.h"
#include "common/status.h"
#include "common/string_pool.h"
#include "common/worker.h"
#include "events/recognizer.h"

namespace vd::command {

// The phase=map invocation (streaming, runs on every indexer): raw events in, compact
// normalized vc_* rows out, one execute chunk at a time. Irrelevant rows and exact
// duplicates (same kind, source and event id) are dropped here, so only the compact rows
// cross the network; time-window dedup needs every indexer's events and is left to the
// reporting invocation.
//
// With threads > 1, a large chunk is cut at a row start near its middle (csv::FindRowStart)
// and its halves are read at once, each by its own reader and recognizer; the exact-duplicate
// check then runs over both in row order, so the output is the same bytes as one thread's.
class MapPhase {
 public:
  explicit MapPhase(const Arguments& args);
  ~MapPhase();

  // `body` is one execute chunk's CSV (empty or header-only allowed), parsed in place.
  // Writes this chunk's output CSV (vc_* header and rows, or nothing) to *out_csv.
  Status ConsumeChunk(std::string* body, std::string* out_csv);

  // The INFO summary for the last reply.
  std::string Summary() const { return "vishingcorrelate map: " + counts_.Describe(); }

  uint64_t rows_read() const { return counts_.read; }
  const RowCounts& counts() const { return counts_; }
  // Chunks read in two halves at once so far.
  uint64_t split_chunks() const { return split_chunks_; }

  struct Part;  // one half of a chunk (map_phase.cc)

 private:
  // Drops the exact duplicates among the parts' rows, in row order, and joins the parts'
  // rows into *out_csv (which part 0 wrote into).
  void KeepFirstSightings(Part* first, Part* second, std::string* out_csv);
  // Remembers (kind, source, event id); true when it was new. Only the event id is interned:
  // the rest of the row is written straight from the recognizer's views.
  bool FirstSighting(events::Kind kind, events::Source source, std::string_view event_id);

  const int threads_;
  StringPool pool_;
  events::Recognizer recognizer_;
  RowCounts counts_;
  uint64_t split_chunks_ = 0;
  std::unordered_set<uint64_t> seen_ids_;  // StrId of the event id | kind | source
  std::vector<std::string_view> header_;
  std::unique_ptr<Part> parts_[2];
  // The second half's reader: its own pool (it never interns) and recognizer.
  StringPool second_pool_;
  events::Recognizer second_recognizer_;
  Worker worker_;
};

}  // namespace vd::command
