#pragma once

#include "events/event_draft.h"
#include "events/json_doc.h"
#include "events/recognize_result.h"
#include "events/row.h"

namespace vd::events {

// Log Analytics / Sentinel "AuditLogs" exports: PascalCase columns (TimeGenerated,
// OperationName, Result, CorrelationId, Id) with InitiatedBy and TargetResources as JSON
// text in a cell. Same activities as the Graph shape.
class SentinelRecognizer {
 public:
  void SetHeader(Header header);
  // OperationName/ActivityDisplayName plus an InitiatedBy or TargetResources cell.
  bool Applies(Cells cells) const;
  RecognizeResult Recognize(Cells cells, EventDraft* draft);

 private:
  int operation_ = kNoColumn, activity_ = kNoColumn, time_generated_ = kNoColumn,
      activity_time_ = kNoColumn, result_ = kNoColumn, result_reason_ = kNoColumn,
      correlation_ = kNoColumn, id_ = kNoColumn, initiated_by_ = kNoColumn,
      target_resources_ = kNoColumn;
  JsonDoc initiated_json_, targets_json_;
};

}  // namespace vd::events
