#pragma once

#include <memory>
#include <string>

#include "command/arguments.h"
#include "command/map_phase.h"
#include "command/report_phase.h"
#include "scp/search_command.h"

namespace vd::command {

// `vishingcorrelate` as a chunked search command. getinfo parses the arguments and picks the
// invocation: phase=map -> type "streaming" (MapPhase per chunk); otherwise type "reporting"
// with streaming_preop "vishingcorrelate phase=map <raw_args>" (ReportPhase buffers until
// finished:true, answering earlier chunks with an empty body at once and reading them while
// splunkd goes on; a malformed one is reported in the next answer). No required_fields: that would
// put the map phase in selected-fields mode, where it may not drop rows.
class VishingCommand : public scp::SearchCommand {
 public:
  Status GetInfo(const scp::GetInfoRequest& request, scp::GetInfoReply* reply) override;
  Status Execute(const scp::ExecuteRequest& request, scp::ExecuteReply* reply) override;
  Status EndOfInput() override;

  const Arguments& arguments() const { return args_; }

 private:
  Arguments args_;
  std::unique_ptr<MapPhase> map_;
  std::unique_ptr<ReportPhase> report_;
  bool report_finished_ = false;

  Status ExecuteNow(const scp::ExecuteRequest& request, scp::ExecuteReply* reply);
  // What Execute was doing, for the error when memory runs out (std::bad_alloc is caught,
  // the command answers with an ERROR naming it and exits 1).
  std::string doing_;
};

}  // namespace vd::command
