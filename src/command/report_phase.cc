#include "command/report_phase.h"

#include <utility>

#include "command/analysis.h"
#include "csv/reader.h"

namespace vd::command {

ReportPhase::ReportPhase(const Arguments& args) : args_(args), recognizer_(&pool_, args.identity) {}

Status ReportPhase::ConsumeLater(std::string* body) {
  if (args_.analysis.threads <= 1) return Consume(body);
  if (Status s = Settle(); !s.ok()) return s;
  later_body_.swap(*body);
  later_.Start([this] { later_status_ = ConsumeNow(&later_body_); });
  return Status::Ok();
}

Status ReportPhase::Settle() {
  later_.Wait();
  return std::exchange(later_status_, Status::Ok());
}

Status ReportPhase::Consume(std::string* body) {
  if (Status s = Settle(); !s.ok()) return s;
  return ConsumeNow(body);
}

Status ReportPhase::ConsumeNow(std::string* body) {
  if (body->empty()) return Status::Ok();
  csv::Reader reader(body->data(), body->size());
  if (reader.Next(&header_)) {
    recognizer_.SetHeader(header_);
    // Rows go to the recognizer a batch at a time (it prefetches the pool a few rows
    // ahead); the cells point into *body, which outlives the batch.
    constexpr size_t kBatch = 256;
    std::span<const std::string_view> cells;
    bool more = true;
    while (more) {
      batch_cells_.clear();
      batch_ends_.clear();
      while (batch_ends_.size() < kBatch && (more = reader.NextRow(&cells))) {
        batch_cells_.insert(batch_cells_.end(), cells.begin(), cells.end());
        batch_ends_.push_back(batch_cells_.size());
      }
      const size_t n = batch_ends_.size();
      batch_rows_.resize(n);
      for (size_t i = 0, begin = 0; i < n; begin = batch_ends_[i++]) {
        batch_rows_[i] =
            std::span<const std::string_view>(batch_cells_.data() + begin, batch_ends_[i] - begin);
      }
      batch_results_.resize(n);
      batch_events_.resize(n);
      recognizer_.RecognizeBatch(batch_rows_, batch_results_.data(), batch_events_.data());
      for (size_t i = 0; i < n; ++i) {
        ++counts_.read;
        counts_.Count(batch_results_[i]);
        if (!batch_results_[i].recognized()) continue;
        events_.push_back(batch_events_[i]);
      }
    }
  }
  if (!reader.status().ok()) {
    return Status::Parse("malformed CSV in the execute body: " + reader.status().message());
  }
  return Status::Ok();
}

Status ReportPhase::Finish(std::vector<scp::Message>* messages) {
  if (Status s = Settle(); !s.ok()) return s;
  findings_ = RunAnalysis(events_.span(), pool_, args_);
  events_.clear();
  messages->push_back({scp::MessageLevel::kInfo, "vishingcorrelate: " + counts_.Describe() + "; " +
                                                     DescribeFindings(findings_)});
  return Status::Ok();
}

}  // namespace vd::command
