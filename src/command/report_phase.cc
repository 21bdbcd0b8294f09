#include "command/report_phase.h"

#include "command/analysis.h"
#include "command/findings_table.h"
#include "common/huge_pages.h"
#include "csv/reader.h"

namespace vd::command {

ReportPhase::ReportPhase(const Arguments& args)
    : args_(args), recognizer_(&pool_, args.identity) {}

Status ReportPhase::Consume(std::string* body) {
  if (body->empty()) return Status::Ok();
  csv::Reader reader(body->data(), body->size());
  if (reader.Next(&header_)) {
    recognizer_.SetHeader(header_);
    events::IdentityEvent event;
    std::span<const std::string_view> cells;
    while (reader.NextRow(&cells)) {
      ++counts_.read;
      events::RecognizeResult r = recognizer_.Recognize(cells, &event);
      counts_.Count(r);
      if (!r.recognized()) continue;
      // Tens of MB by the end: each doubling goes into memory advised for huge pages.
      ReserveHuge(&events_, events_.size() + 1);
      events_.push_back(event);
    }
  }
  if (!reader.status().ok()) {
    return Status::Parse("malformed CSV in the execute body: " + reader.status().message());
  }
  return Status::Ok();
}

Status ReportPhase::Finish(std::string* out_csv, std::vector<scp::Message>* messages) {
  out_csv->clear();
  detect::Findings findings = RunAnalysis(std::move(events_), pool_, args_);
  events_.clear();
  WriteFindingsCsv(findings, out_csv);
  messages->push_back(
      {scp::MessageLevel::kInfo, "vishingcorrelate: " + counts_.Describe() + "; " +
                                     DescribeFindings(findings)});
  return Status::Ok();
}

}  // namespace vd::command
