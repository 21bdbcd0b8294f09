#pragma once

#include "events/event_draft.h"
#include "events/json_doc.h"
#include "events/multivalue.h"
#include "events/recognize_result.h"
#include "events/row.h"

namespace vd::events {

// O365 management activity records (o365:management:activity): password resets
// ("Reset user password.", "Change user password.", "Set force change user password."),
// MFA changes ("Update user." whose ModifiedProperties name StrongAuthenticationMethod,
// "Disable Strong Authentication."), and sign-ins ("UserLoggedIn" / "UserLoginFailed").
// Initiator = UserId (the UPN of who acted), target = ObjectId (the user acted on).
class O365Recognizer {
 public:
  void SetHeader(Header header);
  bool Applies(Cells cells) const;  // an Operation cell
  RecognizeResult Recognize(Cells cells, EventDraft* draft);

 private:
  // Fills StrongAuthenticationMethod presence and old/new values from _raw's
  // ModifiedProperties. False when _raw is absent or not JSON.
  bool StrongAuthFromRaw(std::string_view raw, bool* present, std::string_view* old_value,
                         std::string_view* new_value);

  int raw_ = kNoColumn, operation_ = kNoColumn, user_id_ = kNoColumn, object_id_ = kNoColumn;
  int client_ip_ = kNoColumn, actor_ip_ = kNoColumn, result_status_ = kNoColumn;
  int id_ = kNoColumn, intra_system_id_ = kNoColumn, creation_time_ = kNoColumn;
  MvColumn actor_id_, actor_type_, target_id_, target_type_;
  MvColumn mod_name_, mod_new_, mod_old_;

  MvSplitter ids_, types_, names_, olds_, news_;
  JsonDoc json_;
};

}  // namespace vd::events
