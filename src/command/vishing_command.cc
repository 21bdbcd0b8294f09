#include "command/vishing_command.h"

#include <chrono>

#include "command/findings_table.h"

namespace vd::command {
namespace {

TimeMs NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Status VishingCommand::GetInfo(const scp::GetInfoRequest& request, scp::GetInfoReply* reply) {
  if (Status s = ParseArguments(request.searchinfo.args, &args_); !s.ok()) return s;
  if (args_.phase == Phase::kMap) {
    reply->type = "streaming";
    map_ = std::make_unique<MapPhase>(args_);
  } else {
    reply->type = "reporting";
    // report_since=-15m counts back from the search's latest_time (a scheduled search's
    // "now" is its dispatch time, whenever the scheduler ran it), else from the clock.
    ResolveReportSince(request.searchinfo.latest_time, NowMs(), &args_);
    // raw_args keep the user's quoting; old splunkd versions without it get args.
    const auto& raw = request.searchinfo.raw_args.empty() && !request.searchinfo.args.empty()
                          ? request.searchinfo.args
                          : request.searchinfo.raw_args;
    reply->streaming_preop = BuildStreamingPreop(raw);
    report_ = std::make_unique<ReportPhase>(args_);
  }
  return Status::Ok();
}

Status VishingCommand::Execute(const scp::ExecuteRequest& request, scp::ExecuteReply* reply) {
  if (map_) {
    if (Status s = map_->ConsumeChunk(request.body, &reply->body); !s.ok()) {
      return s;
    }
    if (request.finished) reply->messages.push_back({scp::MessageLevel::kInfo, map_->Summary()});
    return Status::Ok();
  }
  if (report_finished_) {
    // splunkd said finished already; anything more gets an empty answer, never a second result.
    return Status::Ok();
  }
  // An empty body until all input is in; the chunk is read meanwhile.
  if (!request.finished) return report_->ConsumeLater(request.body);
  if (Status s = report_->Consume(request.body); !s.ok()) return s;
  report_finished_ = true;
  if (Status s = report_->Finish(&reply->messages); !s.ok()) return s;
  reply->streamed = std::make_unique<FindingsCsv>(&report_->findings());
  return Status::Ok();
}

Status VishingCommand::EndOfInput() {
  // A chunk still being read when splunkd stopped sending (no finished:true: nothing to
  // report), but a malformed one is still an error.
  return report_ && !report_finished_ ? report_->Settle() : Status::Ok();
}

}  // namespace vd::command
