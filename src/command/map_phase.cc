#include "command/map_phase.h"

#include <array>

#include "csv/reader.h"
#include "csv/writer.h"
#include "events/normalized_row.h"

namespace vd::command {

// What one reader made of its part of a chunk: the vc_* rows (in `out`), the counts, and
// the rows that carry an event id, for the exact-duplicate check that runs afterwards.
struct MapPhase::Part {
  std::string* out = nullptr;  // part 0: the reply itself; part 1: `own`
  std::string own;
  RowCounts counts;
  uint64_t rows_written = 0;
  struct Keyed {
    size_t begin, end;  // the row's bytes in *out
    events::Kind kind;
    events::Source source;
    size_t id_at, id_size;  // the event id in `ids` (its view may not outlive the row)
  };
  std::vector<Keyed> keyed;
  std::string ids;
  std::string time_text, arrival_text;

  void Reset(std::string* target) {
    out = target;
    out->clear();
    counts = RowCounts();
    rows_written = 0;
    keyed.clear();
    ids.clear();
  }
};

namespace {

// A chunk is cut in two only when each half is worth a thread's hand-off (about 2 ms of
// work at 1 MiB).
constexpr size_t kMinSplitBytes = size_t{1} << 20;

// Recognizes every row `reader` has left and writes the relevant ones as vc_* rows (the
// header first when `header` and there is one).
void MapRows(events::Recognizer* recognizer, csv::Reader* reader, bool header,
             MapPhase::Part* part) {
  csv::Writer writer(part->out);
  std::array<std::string_view, events::kVcColumnCount> out_cells;
  events::EventView event;
  std::span<const std::string_view> cells;
  while (reader->NextRow(&cells)) {
    ++part->counts.read;
    events::RecognizeResult r = recognizer->RecognizeView(cells, &event);
    part->counts.Count(r);
    if (!r.recognized()) continue;
    if (part->rows_written == 0 && header) writer.WriteRow(events::kVcColumns);
    const size_t begin = part->out->size();
    events::WriteNormalizedCells(event, &part->time_text, &part->arrival_text, out_cells);
    writer.WriteRow(out_cells);
    ++part->rows_written;
    if (!event.event_id.empty()) {
      part->keyed.push_back({begin, part->out->size(), event.kind, event.source, part->ids.size(),
                             event.event_id.size()});
      part->ids.append(event.event_id);
    }
  }
}

void Add(const RowCounts& from, RowCounts* to) {
  to->read += from.read;
  to->recognized += from.recognized;
  to->irrelevant += from.irrelevant;
  to->duplicates += from.duplicates;
  for (size_t i = 0; i < to->skipped.size(); ++i) to->skipped[i] += from.skipped[i];
}

Status MalformedCsv(const Status& s) {
  return Status::Parse("malformed CSV in the execute body: " + s.message());
}

}  // namespace

MapPhase::MapPhase(const Arguments& args)
    : threads_(UsableThreads(args.analysis.threads)),
      recognizer_(&pool_, args.identity),
      second_recognizer_(&second_pool_, args.identity) {
  for (auto& p : parts_) p = std::make_unique<Part>();
}

MapPhase::~MapPhase() = default;

bool MapPhase::FirstSighting(events::Kind kind, events::Source source, std::string_view event_id) {
  uint64_t key = (static_cast<uint64_t>(pool_.Intern(event_id)) << 8) |
                 (static_cast<uint64_t>(kind) << 4) | static_cast<uint64_t>(source);
  return seen_ids_.insert(key).second;
}

Status MapPhase::ConsumeChunk(std::string* body, std::string* out_csv) {
  out_csv->clear();
  if (body->empty()) return Status::Ok();
  // Where the second half starts (found before any reader unescapes a byte), or none.
  size_t cut = threads_ > 1 && body->size() >= 2 * kMinSplitBytes
                   ? csv::FindRowStart(body->data(), body->size(), body->size() / 2)
                   : SIZE_MAX;
  csv::Reader reader(body->data(), cut == SIZE_MAX ? body->size() : cut);
  if (!reader.Next(&header_)) {
    if (!reader.status().ok()) return MalformedCsv(reader.status());
    return Status::Ok();
  }
  recognizer_.SetHeader(header_);

  Part& first = *parts_[0];
  Part& second = *parts_[1];
  first.Reset(out_csv);
  second.Reset(&second.own);
  std::unique_ptr<csv::Reader> second_reader;
  if (cut != SIZE_MAX) {
    ++split_chunks_;
    second_recognizer_.SetHeader(header_);
    second_reader = std::make_unique<csv::Reader>(body->data() + cut, body->size() - cut);
    worker_.Start([&] { MapRows(&second_recognizer_, second_reader.get(), false, &second); });
  }
  MapRows(&recognizer_, &reader, true, &first);
  if (second_reader) worker_.Wait();

  // An error in the first part comes first, as one reader would have met it.
  Status bad = reader.status();
  if (bad.ok() && second_reader) bad = second_reader->StatusAfter(reader.rows_read(), cut);
  if (!bad.ok()) {
    out_csv->clear();
    return MalformedCsv(bad);
  }
  Add(first.counts, &counts_);
  Add(second.counts, &counts_);
  KeepFirstSightings(&first, &second, out_csv);
  return Status::Ok();
}

void MapPhase::KeepFirstSightings(Part* first, Part* second, std::string* out_csv) {
  // Which keyed rows repeat an event id seen before (in this chunk or an earlier one).
  std::vector<std::pair<const Part::Keyed*, const Part*>> dropped;
  for (const Part* part : {first, second}) {
    for (const Part::Keyed& k : part->keyed) {
      if (!FirstSighting(k.kind, k.source,
                         std::string_view(part->ids).substr(k.id_at, k.id_size))) {
        ++counts_.duplicates;
        dropped.emplace_back(&k, part);
      }
    }
  }
  const uint64_t kept = first->rows_written + second->rows_written - dropped.size();
  if (kept == 0) {
    out_csv->clear();
    return;
  }
  if (dropped.empty() && first->rows_written > 0) {
    out_csv->append(second->own);
    return;
  }
  // Rebuild: the header, then every row but the dropped ones, part by part.
  std::string joined;
  csv::Writer(&joined).WriteRow(events::kVcColumns);
  const size_t header_size = joined.size();
  size_t d = 0;
  for (const Part* part : {first, second}) {
    size_t from = part == first && part->rows_written > 0 ? header_size : 0;
    for (; d < dropped.size() && dropped[d].second == part; ++d) {
      joined.append(*part->out, from, dropped[d].first->begin - from);
      from = dropped[d].first->end;
    }
    joined.append(*part->out, from, std::string::npos);
  }
  out_csv->swap(joined);
}

}  // namespace vd::command
