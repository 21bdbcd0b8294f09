#pragma once

#include "events/event_draft.h"
#include "events/json_doc.h"
#include "events/multivalue.h"
#include "events/recognize_result.h"
#include "events/row.h"

namespace vd::events {

// Entra ID audit events in the Graph directoryAudit shape (ms:entra:audit from our input,
// azure:aad:audit / ms:aad:audit) and in the Event Hub shape (azure:monitor:aad, category
// AuditLogs: the same fields under "properties.", plus operationName/time/callerIpAddress).
// The target is the targetResources entry of type User; when Splunk's multivalue lists
// do not line up (it drops JSON nulls) the entry is read from _raw. An app initiator
// (initiatedBy.app.displayName) is an initiator.
class EntraAuditRecognizer {
 public:
  void SetHeader(Header header);
  bool Applies(Cells cells) const;  // an activity name in either shape
  RecognizeResult Recognize(Cells cells, EventDraft* draft);

 private:
  struct Columns {  // one per shape: "" (Graph) and "properties." (Event Hub)
    int activity = kNoColumn, time = kNoColumn, init_upn = kNoColumn, init_ip = kNoColumn,
        init_app = kNoColumn, result = kNoColumn, result_reason = kNoColumn,
        correlation = kNoColumn, id = kNoColumn;
    MvColumn target_upn, target_type, target_type_cap, mod_name;
    void Resolve(Header h, std::string_view prefix, std::string* name);
  };
  // Parses _raw once per row; returns the targetResources array (Graph root or
  // Event Hub properties) or nullptr. *ok = false when _raw is absent or not JSON.
  const rapidjson::Value* RawTargets(std::string_view raw, bool* ok);

  Columns graph_, hub_;
  int raw_ = kNoColumn, operation_name_ = kNoColumn, category_ = kNoColumn, time_ = kNoColumn,
      caller_ip_ = kNoColumn, correlation_ = kNoColumn;
  MvSplitter upns_, types_, names_;
  JsonDoc json_;
  bool raw_parsed_ = false, raw_ok_ = false;
};

}  // namespace vd::events
