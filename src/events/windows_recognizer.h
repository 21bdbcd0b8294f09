#pragma once

#include <string>

#include "events/event_draft.h"
#include "events/multivalue.h"
#include "events/recognize_result.h"
#include "events/row.h"
#include "events/windows_raw.h"

namespace vd::events {

// Windows Security 4724 ("An attempt was made to reset an account's password") from
// XmlWinEventLog or WinEventLog rows: the TA's fields (SubjectUserName..., or the CIM
// src_user/user, or classic Account_Name pairs) first, the event's own _raw (XML or
// classic text) when they are missing. 4720 ("A user account was created", the same Subject /
// Target fields) is an account creation (Kind::kCreated, DESIGN.md §3.6).
//
// 4723 (a user changing their own password) is never an admin reset, and 4738 (user
// account changed, with a new PasswordLastSet) is only the companion a DC writes in the
// same millisecond as a 4724 — it would be deduped against that 4724 anyway, and alone it
// is no reset — so both, like every other event id, are irrelevant here.
class WindowsRecognizer {
 public:
  void SetHeader(Header header);
  // The row is a Windows event: it has an event code, a WinEventLog source/sourcetype,
  // or an XML event as _raw.
  bool Applies(Cells cells) const;
  RecognizeResult Recognize(Cells cells, EventDraft* draft);

 private:
  // Parses _raw once per row (XML or classic text). False when it is neither.
  bool ParseRaw(std::string_view raw);

  int time_ = kNoColumn, raw_ = kNoColumn, sourcetype_ = kNoColumn, source_ = kNoColumn;
  int event_code_ = kNoColumn, event_id_ = kNoColumn;
  int subject_user_ = kNoColumn, subject_domain_ = kNoColumn;
  int target_user_ = kNoColumn, target_domain_ = kNoColumn;
  int src_user_ = kNoColumn, user_ = kNoColumn, src_nt_domain_ = kNoColumn,
      dest_nt_domain_ = kNoColumn;
  int keywords_ = kNoColumn, status_ = kNoColumn, action_ = kNoColumn, result_ = kNoColumn;
  int record_number_ = kNoColumn, event_record_id_ = kNoColumn;
  int computer_name_ = kNoColumn, computer_ = kNoColumn, ip_address_ = kNoColumn;
  MvColumn account_name_, account_domain_;

  MvSplitter names_, domains_;
  WindowsRawFields raw_fields_;
  std::string raw_scratch_;
  std::string initiator_buf_, target_buf_, event_id_buf_;
};

}  // namespace vd::events
