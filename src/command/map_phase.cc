#include "command/map_phase.h"

#include <array>

#include "csv/reader.h"
#include "csv/writer.h"
#include "events/normalized_row.h"

namespace vd::command {

MapPhase::MapPhase(const Arguments& args) : args_(args), recognizer_(&pool_, args.identity) {}

bool MapPhase::FirstSighting(const events::EventView& e) {
  if (e.event_id.empty()) return true;  // nothing to compare: keep
  uint64_t key = (static_cast<uint64_t>(pool_.Intern(e.event_id)) << 8) |
                 (static_cast<uint64_t>(e.kind) << 4) | static_cast<uint64_t>(e.source);
  return seen_ids_.insert(key).second;
}

Status MapPhase::ConsumeChunk(std::string* body, std::string* out_csv,
                              std::vector<scp::Message>* /*messages*/) {
  out_csv->clear();
  if (body->empty()) return Status::Ok();
  csv::Reader reader(body->data(), body->size());
  if (!reader.Next(&header_)) {
    if (!reader.status().ok()) {
      return Status::Parse("malformed CSV in the execute body: " + reader.status().message());
    }
    return Status::Ok();
  }
  recognizer_.SetHeader(header_);

  csv::Writer writer(out_csv);
  bool wrote_header = false;
  std::array<std::string_view, events::kVcColumnCount> out_cells;
  events::EventView event;
  std::span<const std::string_view> cells;
  while (reader.NextRow(&cells)) {
    ++counts_.read;
    events::RecognizeResult r = recognizer_.RecognizeView(cells, &event);
    counts_.Count(r);
    if (!r.recognized()) continue;
    if (!FirstSighting(event)) {
      ++counts_.duplicates;
      continue;
    }
    if (!wrote_header) {
      writer.WriteRow(events::kVcColumns);
      wrote_header = true;
    }
    events::WriteNormalizedCells(event, &time_text_, out_cells);
    writer.WriteRow(out_cells);
  }
  if (!reader.status().ok()) {
    out_csv->clear();
    return Status::Parse("malformed CSV in the execute body: " + reader.status().message());
  }
  (void)args_;
  return Status::Ok();
}

}  // namespace vd::command
