#pragma once

#include "events/event_draft.h"
#include "events/json_doc.h"
#include "events/recognize_result.h"
#include "events/row.h"

namespace vd::events {

// Entra sign-ins: Event Hub (azure:monitor:aad, category SignInLogs /
// NonInteractiveUserSignInLogs, fields under properties.), Graph signIn shape
// (azure:aad:signin, ms:aad:signin, ms:entra:signin: userPrincipalName, ipAddress,
// status.errorCode), and Sentinel SigninLogs exports (UserPrincipalName, IPAddress,
// ResultType). errorCode / resultType 0 = success; O365 UserLoggedIn is in O365Recognizer.
class SigninRecognizer {
 public:
  void SetHeader(Header header);
  bool Applies(Cells cells) const;
  RecognizeResult Recognize(Cells cells, EventDraft* draft);

 private:
  struct Columns {
    int upn = kNoColumn, ip = kNoColumn, error_code = kNoColumn, created = kNoColumn,
        id = kNoColumn, correlation = kNoColumn;
  };
  Columns graph_, hub_, sentinel_;
  int raw_ = kNoColumn, category_ = kNoColumn, sourcetype_ = kNoColumn, operation_name_ = kNoColumn,
      result_type_ = kNoColumn, caller_ip_ = kNoColumn, time_ = kNoColumn, action_ = kNoColumn,
      correlation_ = kNoColumn;
  JsonDoc json_;
};

}  // namespace vd::events
